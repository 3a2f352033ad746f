import BDSCore
import Hummingbird

/// Which language a request's answer is worded in.
///
/// API answers: `?lang=`, else the `Accept-Language` header, else `serve --lang`, else English.
/// The kiosk page: `?lang=`, else `serve --lang` (the kiosk's own setting outranks the browser
/// it runs in), else `Accept-Language`, else English. A code with no catalogue is passed over.
enum AnswerLanguage {
    static func forAnswer(_ request: Request, defaultLanguage: String?) -> Messages {
        let asked = request.uri.queryParameters.get("lang")
        let accepted = request.headers[.acceptLanguage].map(Language.fromAcceptLanguage) ?? []
        return first([asked].compactMap { $0 } + accepted + [defaultLanguage].compactMap { $0 })
    }

    static func forPage(_ request: Request, defaultLanguage: String?) -> Messages {
        let asked = request.uri.queryParameters.get("lang")
        let accepted = request.headers[.acceptLanguage].map(Language.fromAcceptLanguage) ?? []
        return first([asked, defaultLanguage].compactMap { $0 } + accepted)
    }

    static func first(_ codes: [String]) -> Messages {
        for code in codes {
            if let m = Messages.forLanguage(code) { return m }
        }
        return .english
    }
}
