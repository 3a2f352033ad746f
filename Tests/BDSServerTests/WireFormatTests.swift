import BDSCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import BDSServer

/// Every answer the API serves goes through the fast writer; only operational replies use JSONEncoder.
@Suite("Answers are written by the fast JSON writer")
struct WireFormatTests {
    /// Replies that are not answers to a query, and may be written by JSONEncoder.
    static let operational: Set<String> = [
        "HealthAnswer", "SourcesAnswer", "ReloadAnswer", "Body", "ReportReceipt", "ReportList",
    ]

    @Test("Lookups, batches and searches add no type to the JSONEncoder path")
    func answersUseTheWriter() async throws {
        let server = try TestServer()
        try await server.application.test(.router) { client in
            for uri in ["/v1/barcodes/0040822011143", "/v1/barcodes/12", "/v1/search?q=sabra"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(uri)")
                }
            }
            let body = ByteBuffer(string: #"{"queries": ["sabra", "0040822011143", ""]}"#)
            try await client.execute(uri: "/v1/lookup", method: .post, headers: [.contentType: "application/json"], body: body) {
                _ in
            }
        }
        let encoded = JSONBody.encodedTypes.withLock { $0 }
        #expect(
            encoded.subtracting(Self.operational).isEmpty,
            "served through JSONEncoder: \(encoded.subtracting(Self.operational).sorted())")
    }
}
