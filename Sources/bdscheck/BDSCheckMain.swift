import ArgumentParser
import BDSCommands
import Foundation
import Logging

// The entry point only: everything else lives in BDSCommands. Not named main.swift, so that the
// async root command gets the async entry point.
@main
enum BDSCheckMain {
    static func main() async {
        let level = Logger.Level(rawValue: ProcessInfo.processInfo.environment["BDSCHECK_LOG_LEVEL"] ?? "") ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        // A plain `bdscheck CODE|NAME…` is answered and exits here; anything else is ArgumentParser's.
        let arguments = Array(CommandLine.arguments.dropFirst())
        PlainCheckCommand.runIfPlain(arguments)
        if let problem = BDSCheck.misplacedCommand(arguments) { BDSCheck.exit(withError: ValidationError(problem)) }
        await BDSCheck.main()
    }
}
