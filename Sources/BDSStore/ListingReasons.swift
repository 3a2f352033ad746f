import Foundation

/// How a listing's list of reasons is stored in one column: joined by the ASCII record separator
/// (U+001E), which no reason contains; cheaper to read back than JSON on every lookup.
enum ListingReasons {
    static let separator: Character = "\u{1E}"

    static func encode(_ reasons: [String]) -> String {
        reasons.map { $0.replacingOccurrences(of: String(separator), with: " ") }.joined(separator: String(separator))
    }

    static func decode(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }
}
