public import Foundation

/// Runs the built `bdscheck` executable (or, by name, another of the package's executables).
public enum CLI {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static var executable: URL { buildFolder.appendingPathComponent("bdscheck") }

    /// The folder the package's executables and resource bundles are built in.
    public static var buildFolder: URL {
        // On Linux the test bundle and the package's executables share one build folder.
        var dir = Bundle.main.bundleURL
        if dir.pathExtension == "xctest" { dir.deleteLastPathComponent() }
        return dir
    }

    public static func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:], executable: URL = executable
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env.removeValue(forKey: "BDSCHECK_STORE")
        env.removeValue(forKey: "BDSCHECK_DATA")
        // No settings file of the person running the tests (an empty value means none).
        env["BDSCHECK_CONFIG"] = ""
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }
}
