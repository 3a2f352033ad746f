import BDSCore
import BDSServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The listed fixture product `0040822011143` sent in every form a scanner or phone produces must get its
/// plain code's verdict on both lookup routes.
@Suite("Scanned forms through the API")
struct ScannedFormsEndpointTests {
    let server: TestServer

    init() throws {
        server = try TestServer()
    }

    static let forms = [
        "https://id.gs1.org/01/00040822011143", "https://id.gs1.org/01/00040822011143/10/LOT",
        "https://id.gs1.org/01/00040822011143?17=271231", "https://brand.example/shop/01/00040822011143/10/A1?17=271231",
        "(01)00040822011143(17)271231(10)LOT", "0100040822011143", "0100040822011143\u{1D}10LOT\u{1D}",
        "]C10100040822011143", "]d20100040822011143", "]Q30100040822011143", "]E00040822011143",
        "٠٠٤٠٨٢٢٠١١١٤٣", "۰۰۴۰۸۲۲۰۱۱۱۴۳", "００４０８２２０１１１４３", "\u{200E}0040822011143", "0040\u{00A0}822011143",
        "0040\u{2011}822011143", "0040\u{2013}822011143", "0040822011143\u{1D}", "0040822011143\r", "0040822011143\u{0}",
    ]

    @Test("POST /v1/lookup answers every form as the plain code")
    func lookup() async throws {
        let plain = try server.holder.current.store.verdict(for: "0040822011143")
        #expect(plain.verdict == .listedConsumerBoycott)
        try await server.application.test(.router) { client in
            let body = ByteBuffer(data: try JSONEncoder().encode(LookupRequest(queries: Self.forms)))
            try await client.execute(uri: "/v1/lookup", method: .post, headers: [.contentType: "application/json"], body: body) { response in
                #expect(response.status == .ok)
                let answers = try decode(LookupAnswer.self, response).answers
                #expect(answers.count == Self.forms.count)
                for (form, answer) in zip(Self.forms, answers) {
                    #expect(answer.verdict == plain.verdict, "\(form)")
                    #expect(answer.barcode?.gtin14 == plain.barcode?.gtin14, "\(form)")
                    #expect(answer.listings == plain.listings, "\(form)")
                    #expect(answer.reading != nil, "\(form)")
                }
            }
        }
    }

    @Test("GET /v1/barcodes/{code} answers every form as the plain code", arguments: forms)
    func barcode(form: String) async throws {
        let encoded = try #require(form.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/barcodes/\(encoded)", method: .get) { response in
                #expect(response.status == .ok)
                let answer = try decode(Verdict.self, response)
                #expect(answer.verdict == .listedConsumerBoycott)
                #expect(answer.barcode?.gtin14 == "00040822011143")
            }
        }
    }

    @Test("The answer says how a Digital Link was read")
    func reading() async throws {
        let uri = "/v1/barcodes/" + "https://id.gs1.org/01/00040822011143/10/ABC?17=271231"
            .addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        try await server.application.test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                let answer = try decode(Verdict.self, response)
                #expect(answer.reading?.form == .digitalLink)
                #expect(answer.reading?.text == "GS1 Digital Link → GTIN 00040822011143, lot ABC, expiry 2027-12-31")
                #expect(answer.reading?.elements.map(\.ai) == ["01", "10", "17"])
                #expect(answer.reading?.elements.last?.date == "2027-12-31")
            }
        }
    }

    @Test("A name on the barcode route is an invalid barcode")
    func nameIsNoBarcode() async throws {
        try await server.application.test(.router) { client in
            try await client.execute(uri: "/v1/barcodes/sabra", method: .get) { response in
                #expect(response.status == .badRequest)
                let answer = try decode(Verdict.self, response)
                #expect(answer.verdict == .invalid)
            }
        }
    }
}
