/// How many candidates a name search may return; the same range on the command line and over HTTP.
public enum SearchLimit {
    public static let range: ClosedRange<Int> = 1...50
    public static let defaultValue = 10
}
