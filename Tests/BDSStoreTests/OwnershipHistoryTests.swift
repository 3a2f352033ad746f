import BDSCore
import BDSImport
import BDSStore
import BDSTestSupport
import Foundation
import Logging
import Testing

/// Dated ownership: ended links are history, and contradictions between sources are kept with
/// both sides (docs/IDENTITY.md, "Ownership over time").
@Suite("Ownership with dates, and contradictions between sources")
struct OwnershipHistoryTests {
    /// Builds a project of three sources: the entities (name,kind,listed) as the curated source, then the ownership rows of
    /// source `a` and of source `b` (owned,owner,percent,start_date,end_date), in that order.
    static func build(entities: String, a: String, b: String = "") throws -> (BuildReport, Store) {
        // The entities, in the curated source's shape (`name,kind,owner,listed,qid`), with no owner or item.
        let curated = entities.split(separator: "\n").map { line -> String in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            return "\(f[0]),\(f[1]),,\(f.count > 2 ? f[2] : ""),\n"
        }
        var files = [
            "importers/10-curated.toml": FixtureStore.curatedDefinition,
            "curated.csv": "name,kind,owner,listed,qid\n" + curated.joined(),
        ]
        for (id, rows, order) in [("a", a, 2), ("b", b, 3)] {
            files["importers/2\(order - 2)-\(id).toml"] = """
                [source]
                id = "\(id)"
                name = "Source \(id)"
                url = "https://example.org/\(id)"
                retrieved = "2026-11-0\(order)"
                file = "../\(id).csv"
                [format]
                type = "csv"
                [[emit]]
                into = "ownership"
                [emit.fields]
                owned = "owned"
                owner = "owner"
                percent = "percent"
                start_date = "start_date"
                end_date = "end_date"
                """
            files["\(id).csv"] = "owned,owner,percent,start_date,end_date\n" + rows
        }
        return try FixtureStore.build(files: files)
    }

    @Test("An ended link is history: shown with its dates and source, and no listing reaches through it")
    func endedLinkIsHistory() throws {
        let (report, store) = try Self.build(
            entities: "Dips,brand,\nOld Parent,company,Old Parent\nNew Parent,company,\n",
            a: "Dips,Old Parent,50,2008,2024-12-03\nDips,New Parent,100,2024-12-03,\n")
        #expect(report.contradictions.isEmpty)
        let dips = try store.verdict(for: "Dips")
        #expect(dips.verdict == .noListingFound, "the listed former owner does not make the brand listed")
        #expect(dips.listings.isEmpty)
        #expect(dips.owners.map(\.owner.name) == ["New Parent"])
        #expect(dips.formerOwners.map(\.owner.name) == ["Old Parent"])
        #expect(dips.formerOwners.first?.termsText() == "50 %, 2008 – 2024-12-03")
        #expect(dips.formerOwners.first?.source == "a")
        #expect(dips.owners.first?.termsText() == "100 %, since 2024-12-03")
        // Nor does the former owner's answer reach down to what it no longer owns.
        let old = try store.verdict(for: "Old Parent")
        #expect(old.owns.isEmpty)
        #expect(old.verdict == .listedConsumerBoycott)
    }

    @Test("An end date given after another source asserted the link is followed, and the earlier claim kept as a contradiction")
    func laterEndWins() throws {
        let (report, store) = try Self.build(
            entities: "Dips,brand,\nOld Parent,company,Old Parent\n", a: "Dips,Old Parent,50,,\n",
            b: "Dips,Old Parent,50,2008,2024-12-03\n")
        let dips = try store.verdict(for: "Dips")
        #expect(dips.verdict == .noListingFound)
        #expect(dips.owners.isEmpty)
        let former = try #require(dips.formerOwners.first)
        #expect(former.source == "b" && former.endDate == "2024-12-03" && former.sourceURL == "https://example.org/b")
        let conflict = try #require(dips.ownershipContradictions.first)
        #expect(conflict.kind == .endedReasserted)
        #expect(conflict.source == "a" && conflict.againstSource == "b")
        #expect(conflict.claim == "Dips → owned by Old Parent (50 %)")
        #expect(conflict.against == "ended on 2024-12-03: Dips → owned by Old Parent (50 %, 2008 – 2024-12-03)")
        #expect(report.contradictions.map(\.source) == ["a"])
    }

    @Test("A link that would close an ownership cycle is not followed, and is reported with the path it runs against")
    func cycle() throws {
        let (report, store) = try Self.build(
            entities: "Alpha,company,\nBeta,company,\nGamma,company,Gamma\n", a: "Alpha,Beta,,,\nBeta,Gamma,,,\n",
            b: "Gamma,Alpha,,,\n")
        let contradiction = try #require(report.contradictions.first)
        #expect(report.contradictions.count == 1)
        #expect(contradiction.kind == .cycle && contradiction.source == "b")
        #expect(
            contradiction.message.contains("b says Gamma → owned by Alpha; a has Alpha → owned by Beta; Beta → owned by Gamma"))
        let gamma = try store.verdict(for: "Gamma")
        #expect(gamma.owners.isEmpty)
        #expect(gamma.ownershipContradictions.map(\.kind) == [.cycle])
        // The links on record still carry Gamma's listing up from Alpha.
        #expect(try store.verdict(for: "Alpha").listings.first?.path.text == "Alpha → owned by Beta → owned by Gamma")
    }

    @Test("The same edge again, from the same source or another, is one edge and no note; another share is a note")
    func repeatedEdges() throws {
        let (report, store) = try Self.build(
            entities: "Fizz,company,\nBig Co,company,\n", a: "Fizz,Big Co,,,\nFizz,Big Co,,,\nFizz,Big Co,,,\n",
            b: "Fizz,Big Co,,,\nFizz,Big Co,60,,\n")
        #expect(try store.verdict(for: "Fizz").owners.map(\.owner.name) == ["Big Co"])
        #expect(report.notes.map(\.kind) == [.ownershipPercentConflict])
        #expect(report.contradictions.isEmpty)
    }

    @Test("Shares over 100 %: the later source's share is not followed")
    func sharesOver100() throws {
        let (report, store) = try Self.build(
            entities: "Fizz,company,\nBig Co,company,\nOther Co,company,Other Co\n", a: "Fizz,Big Co,100,2018-12,\n",
            b: "Fizz,Other Co,50,,\n")
        let fizz = try store.verdict(for: "Fizz")
        #expect(fizz.owners.map(\.owner.name) == ["Big Co"])
        #expect(fizz.verdict == .noListingFound, "the share not followed carries no listing")
        #expect(fizz.ownershipContradictions.map(\.kind) == [.sharesOver100])
        #expect(report.contradictions.first?.message.contains("shares that already add up to 100 %") == true)
        // Shares that fit are all followed.
        let (fits, fitting) = try Self.build(
            entities: "Fizz,company,\nBig Co,company,\nOther Co,company,\n", a: "Fizz,Big Co,60,,\n", b: "Fizz,Other Co,40,,\n")
        #expect(fits.contradictions.isEmpty)
        #expect(try fitting.verdict(for: "Fizz").owners.map(\.owner.name) == ["Big Co", "Other Co"])
    }

    @Test("An ownership row that ends before it starts is an import error naming file, line, field and value")
    func endBeforeStart() throws {
        #expect {
            _ = try Self.build(entities: "Dips,brand,\nOld Parent,company,\n", a: "Dips,Old Parent,,2024-12-03,2008\n")
        } throws: { error in
            let text = "\(error)"
            return text.contains("a.csv:2") && text.contains("end_date") && text.contains("'2008'")
                && text.contains("ends before it starts")
        }
        // Dates of different precision compare on what both give.
        let (_, store) = try Self.build(
            entities: "Dips,brand,\nOld Parent,company,\n", a: "Dips,Old Parent,,2024-12-03,2024-12\n")
        #expect(try store.verdict(for: "Dips").formerOwners.count == 1)
    }
}
