public import Testing

extension Tag {
    /// Runs the built `bdscheck` executable (`swift test --skip ...` or `--filter` by tag to leave these out).
    @Tag public static var endToEnd: Self
    /// Takes seconds rather than milliseconds: large generated inputs, real sockets, timeouts.
    @Tag public static var slow: Self
}
