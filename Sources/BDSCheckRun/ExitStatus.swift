public import BDSCore

/// The documented exit statuses, stable for shell scripts.
///
/// | status | meaning |
/// |---|---|
/// | 0 | no listing found (the product or name is known) |
/// | 10 | listed as a consumer boycott target |
/// | 11 | listed, in another category only (divestment, pressure, organic, UN database, other) |
/// | 12 | hint only (a barcode issued by GS1 Israel; no listing) |
/// | 13 | unknown (nothing is known about the query) |
/// | 14 | owns listed brands or companies (nothing lists the query itself or its owners) |
/// | 64 | usage error (no query, bad option) |
/// | 65 | invalid input (a barcode with a wrong check digit, …) |
/// | 1 | internal error (store missing, unreadable or failed to build) |
///
/// With several queries the status is the most severe one: invalid, then listed, listed in
/// another category, owns listed, hint, unknown, no listing.
public enum ExitStatus {
    public static let usage: Int32 = 64
    public static let internalError: Int32 = 1

    public static func code(for level: VerdictLevel) -> Int32 {
        switch level {
        case .noListingFound: 0
        case .listedConsumerBoycott: 10
        case .listedOther: 11
        case .hintOnly: 12
        case .unknown: 13
        case .ownsListed: 14
        case .invalid: 65
        }
    }

    public static func code(for levels: [VerdictLevel]) -> Int32 {
        code(for: levels.max() ?? .unknown)
    }
}
