import ArgumentParser
import Foundation

/// A duration given as a number with a unit: `30s`, `5m`, `1h`, `30d` (a bare number is seconds).
struct DurationArgument: ExpressibleByArgument, Sendable, Equatable, CustomStringConvertible {
    let seconds: Int
    let text: String

    init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var digits = Substring(text), unit = 1
        if let last = text.last, let factor = units[last] {
            digits = text.dropLast()
            unit = factor
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let n = Int(digits), n > 0, n <= Int(Int32.max) else { return nil }
        seconds = n * unit
        self.text = text
    }

    var description: String { text }
    static var defaultCompletionKind: CompletionKind { .default }
}
