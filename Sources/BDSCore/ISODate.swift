import Foundation

/// Dates as sources give them: ISO 8601 calendar dates, full or partial ("2025", "2025-12", "2025-12-08").
public enum ISODate {
    public static func isValid(_ text: String) -> Bool {
        text.range(of: #"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"#, options: .regularExpression) != nil
    }

    /// The day (YYYY-MM-DD, UTC) of an ISO 8601 timestamp such as "2026-07-17T09:30:00Z".
    public static func day(ofTimestamp timestamp: String) -> String? {
        let day = String(timestamp.prefix(10))
        return day.count == 10 && isValid(day) ? day : nil
    }
}
