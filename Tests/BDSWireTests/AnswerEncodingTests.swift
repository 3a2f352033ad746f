import BDSCore
import BDSWire
import Foundation
import Testing

/// The HTTP answers written by JSONWriter must be the bytes JSONEncoder gives.
@Suite("HTTP answers: JSONWriter matches JSONEncoder")
struct AnswerEncodingTests {
    func same(_ value: some Encodable & JSONWritable) throws -> Bool {
        try JSONOutput.encoder(pretty: false).encode(value) == Data(JSONWriter.encode(value))
    }

    @Test("search and batch answers")
    func answers() throws {
        let entity = EntityRef(id: 7, name: "Sabra \"Dipping\"", kind: .brand, country: nil, note: "n/a")
        let search = SearchAnswer(
            query: "sabr\u{1}a",
            candidates: [
                Candidate(entity: entity, matchedName: "Sabra", score: 0.8333333333333334),
                Candidate(entity: entity, matchedName: "סברה", score: 1),
            ])
        #expect(try same(search))
        #expect(try same(SearchAnswer(query: "", candidates: [])))
        let verdicts = [
            VerdictRules.verdict(from: LookupFacts(query: "x", kind: .name, matched: [entity])),
            VerdictRules.verdict(
                from: LookupFacts(
                    query: "1", kind: .barcode,
                    problem: InputProblem(message: "check digit", expectedCheckDigit: 2, correctedCode: "12")
                )),
        ]
        #expect(try same(LookupAnswer(answers: verdicts)))
        #expect(try same(LookupAnswer(answers: [])))
    }
}
