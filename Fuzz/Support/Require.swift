// Shared by every fuzz target.

/// An invariant the code under test must keep; a violation traps so that libFuzzer saves the input.
@inline(__always)
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant violated: \(message())") }
}
