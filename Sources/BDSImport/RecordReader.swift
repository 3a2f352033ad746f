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
    /// Whether the field's path occurs in the current record at all (a JSON key holding `null` or
    /// `""`, an empty XML element), as opposed to not being there.
    func isPresent(_ column: Int) -> Bool
    /// What the current record holds where the field's path starts looking ("keys: id, name, …"),
    /// for the message when a path matches nothing.
    func shape(around column: Int) -> String?
}

/// Fields that take several values: a split cell, a JSON array, a repeated XML element. Here, beside
/// the readers, so their messages can name them (the fuzz targets build the readers alone).
enum ListFields {
    static let all: Set<String> = ["aliases", "reasons", "owned", "owner", "brand", "alternative"]
    /// For messages: "aliases, alternative, brand, …".
    static var names: String { all.sorted().joined(separator: ", ") }
}

extension RecordReader {
    public func isPresent(_ column: Int) -> Bool { !isEmpty(column) }
    public func shape(around column: Int) -> String? { nil }

    public func values(_ column: Int, fieldName: String?) throws -> [String] {
        isEmpty(column) ? [] : [try string(column, fieldName: fieldName)]
    }
}
