public import BDSCore

/// `GET /v1/search`: the scored candidates for a name. Suggestions, never verdicts.
public struct SearchAnswer: Codable, Sendable {
    public var query: String
    public var candidates: [Candidate]

    public init(query: String, candidates: [Candidate]) {
        self.query = query
        self.candidates = candidates
    }
}

/// `POST /v1/lookup` body.
public struct LookupRequest: Codable, Sendable {
    public var queries: [String]

    public init(queries: [String]) { self.queries = queries }
}

/// `POST /v1/lookup` answer: one verdict per query, in the order asked.
public struct LookupAnswer: Codable, Sendable {
    public var answers: [Verdict]

    public init(answers: [Verdict]) { self.answers = answers }
}

extension SearchAnswer: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("candidates", candidates)
            o.field("query", query)
        }
    }
}

extension LookupAnswer: JSONWritable {
    public func write(to w: inout JSONWriter) {
        w.object { o in o.field("answers", answers) }
    }
}
