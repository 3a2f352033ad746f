/// A stream of records from one input, whatever its format (CSV/TSV, XML, JSON).
///
/// Fields are named the way the format names them (a header column; an XML child element or
/// `@attribute` path; a JSON key path) and bound to column numbers once, before the first record,
/// so reading a record costs no name lookups.
public protocol RecordReader: AnyObject {
    /// The input's name in messages.
    var file: String { get }
    /// Where the current record starts (a line number), for messages.
    var recordLine: Int { get }
    /// Bytes of the underlying file read so far, and its size (0 when unknown).
    var progress: (read: Int64, total: Int64) { get }
    /// The column number for a field name; a name the input cannot have is an error, before any record is read.
    func column(named name: String) throws -> Int
    /// Advances to the next record; false at the end.
    func next() throws -> Bool
    func isEmpty(_ column: Int) -> Bool
    /// The field's value in the current record (invalid UTF-8 is an error naming the record).
    func string(_ column: Int, fieldName: String?) throws -> String
    /// Every value of a repeated field (a JSON array, repeated XML elements); one item otherwise.
    func values(_ column: Int, fieldName: String?) throws -> [String]
}

extension RecordReader {
    public func values(_ column: Int, fieldName: String?) throws -> [String] {
        isEmpty(column) ? [] : [try string(column, fieldName: fieldName)]
    }
}
