import BDSCheckRun
import BDSCore
import BDSStore
import Foundation

/// `bdscheck-lean`: the plain check — `bdscheck CODE|NAME…` with `--json`, `--pretty`, `--batch`,
/// `--lang`, `--store`, `--data` — in an executable that links only what a check needs (BDSCore,
/// BDSStore, BDSWire and GRDB; no ArgumentParser, importers, server, NIO or libxml2), installed as
/// `bdscheck` by `scripts/install.sh` with the full executable beside it as `bdscheck-full`.
///
/// Why a second executable: a cold check is start-up, not lookup, and start-up grows with what
/// the binary holds (docs/PERFORMANCE.md, "The check path"). Anything this one does not answer
/// itself — another command, `--help`, `--online`, a usage error, a default store that needs
/// building, an error before the store is open — it hands over, with the same arguments, to the
/// full executable, which gives ArgumentParser's help and errors and builds the store; so both
/// behave as one program. An error after the store is open is reported here, in ArgumentParser's
/// form ("Error: …", status 1), since answers may already be out.
@main
enum LeanMain {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `bdscheck --version` alone is answered here, as ArgumentParser answers it: handing it over
        // cost a second exec, 14.2 ms instead of 10.7 ms for the full executable run directly.
        if arguments == ["--version"] {
            print(BDSCheckVersion.string)
            exit(0)
        }
        guard let plain = PlainCheck.read(arguments) else { handOver(arguments) }
        var opened = false
        do {
            let status = try plain.run.run { store, data, connections in
                let locator = StoreLocator(
                    store: store, data: data,
                    environment: PlainCheck.environment(["BDSCHECK_DATA", "BDSCHECK_STORE", "XDG_DATA_HOME", "HOME"]))
                // Building the default store is the importers' work: the full executable's.
                let found = try locator.openStore(connections: connections) { _ in throw HandOver() }
                opened = true
                keptOpen = found
                return found
            }
            exit(status)
        } catch is HandOver {
            handOver(arguments)
        } catch {
            // Until the store is open, the full executable reports an error in its own words (and
            // builds a store that needs it). After that, answers may already be out: the error is
            // reported here, in ArgumentParser's form, rather than answering twice.
            guard opened else { handOver(arguments) }
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            exit(1)
        }
    }

    struct HandOver: Error {}

    /// The store, kept open until the process exits: closing it (GRDB's queue and SQLite's
    /// connection) before `exit` only delays the answer's end, by about 0.25 ms.
    nonisolated(unsafe) static var keptOpen: Store?

    /// Replaces this process with the full executable, given the same arguments.
    static func handOver(_ arguments: [String]) -> Never {
        guard let full = fullExecutable() else {
            FileHandle.standardError.write(
                Data(
                    "bdscheck: this needs the full bdscheck executable, expected beside this one as bdscheck-full (see scripts/install.sh)\n"
                        .utf8))
            exit(1)
        }
        let argv = ([full] + arguments).map { strdup($0) } + [nil]
        execv(full, argv)
        FileHandle.standardError.write(Data("bdscheck: cannot run \(full): \(String(cString: strerror(errno)))\n".utf8))
        exit(1)
    }

    /// `bdscheck-full` beside this executable (the installed layout), else `bdscheck` beside it when
    /// this one has another name (the build folder, where this is `bdscheck-lean`).
    static func fullExecutable() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        // Where there is no /proc (not Linux), the path it was started by, when it names a folder.
        let me =
            n > 0
            ? String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : (CommandLine.arguments.first ?? "")
        guard me.contains("/") else { return nil }
        let slash = me.lastIndex(of: "/") ?? me.startIndex
        let folder = String(me[..<slash])
        let name = String(me[me.index(after: slash)...])
        for candidate in ["bdscheck-full"] + (name == "bdscheck" ? [] : ["bdscheck"]) {
            let path = folder + "/" + candidate
            if access(path, X_OK) == 0 { return path }
        }
        return nil
    }
}
