import ArgumentParser
import BDSCheckRun
import Testing

@testable import BDSCommands

/// The plain-check reader (`PlainCheck`) against ArgumentParser: whatever the reader accepts must
/// mean to it what it means to `BDSCheck`'s parser, and whatever it cannot be sure of it must leave
/// to that parser.
@Suite("The plain-check reader")
struct PlainCheckTests {
    /// What ArgumentParser makes of `arguments`, in the reader's terms (nil when it is not `check`).
    func parsed(_ arguments: [String]) throws -> PlainCheck.Arguments? {
        guard let check = try BDSCheck.parseAsRoot(arguments) as? CheckCommand else { return nil }
        #expect(!check.onlineOptions.online)
        return PlainCheck.Arguments(
            queries: check.queries, batch: check.batch, json: check.output.json, pretty: check.output.pretty,
            lang: check.language.lang, store: check.storeOptions.store, data: check.storeOptions.data)
    }

    @Test(
        "Plain checks are read as ArgumentParser reads them",
        arguments: [
            ["7290011498382"],
            ["sabra"],
            ["check", "sabra"],
            ["Hewlett Packard", "7290011498382"],
            ["--json", "sabra"],
            ["sabra", "--json", "--pretty"],
            ["--store", "/tmp/s.sqlite", "7290011498382"],
            ["--store=/tmp/s.sqlite", "--data", "/tmp/d", "sabra"],
            ["--lang", "ar", "sabra"],
            ["--lang=ur", "--json", "صابرا"],
            ["--batch", "--json"],
            ["--batch", "--store", "s.sqlite"],
            ["(01)07290011498382"],
            ["https://id.gs1.org/01/07290011498382"],
            ["--data", "d", "7290011498382", "--store", "s"],
        ])
    func plain(arguments: [String]) throws {
        let quick = try #require(PlainCheck.read(arguments), "not read as a plain check: \(arguments)")
        #expect(try parsed(arguments) == quick)
    }

    @Test(
        "Anything else is left to ArgumentParser",
        arguments: [
            ["serve"],
            ["search", "sabra"],
            ["help"],
            ["sabra", "sources"],
            ["--help"],
            ["-h"],
            ["--version"],
            ["--online", "7290011498382"],
            ["--online-api", "http://127.0.0.1:1", "7290011498382"],
            ["--json", "--json", "sabra"],
            ["--store", "a", "--store", "b", "sabra"],
            ["sabra", "--store"],
            ["--store", "--json", "sabra"],
            ["--lang", "xx", "sabra"],
            ["--batch", "sabra"],
            ["--", "-sabra"],
            ["--json=yes", "sabra"],
            ["-j", "sabra"],
        ])
    func leftAlone(arguments: [String]) {
        #expect(PlainCheck.read(arguments) == nil, "read as a plain check: \(arguments)")
    }

    @Test("The reader knows every subcommand the root command has")
    func subcommands() {
        var names = Set(BDSCheck.configuration.subcommands.map { $0._commandName })
        names.insert("help")
        #expect(Set(PlainCheck.subcommandNames) == names)
    }
}
