/// The release of bdscheck: what `bdscheck --version` prints, in the user agent of every request
/// the tool makes, from either executable.
public enum BDSCheckVersion {
    public static let string = "0.1.0"
}
