import BDSCore
import CLibXML2
import Foundation

/// XML records streamed through libxml2's `xmlTextReader`, in constant memory at any file size.
///
/// A record is each element at the definition's record path (`GCPPrefixFormatList/entry`); fields are
/// paths relative to it (see `XMLFieldPath`). The parser never loads a DTD, an external entity or
/// anything from the network, and a document with a DOCTYPE is refused outright: DTDs are how XML
/// reads local files (XXE) and expands entities without bound (billion laughs).
public final class XMLRecordReader: RecordReader {
    public let file: String
    public private(set) var recordLine = 0
    let size: Int64
    let input: XMLInput
    let recordPath: [CName?]
    let reader: xmlTextReaderPtr

    /// Fields bound so far, as a tree of the element paths below the record.
    let fields = FieldNode()
    /// Attributes read from the enclosing elements on the record path, by level.
    var ancestorFields: [[(name: CName, column: Int)]]
    var columnPaths: [String] = []
    var recordColumns: [Int] = []
    var values: [[String]] = []

    var matchedLevels = 0
    var inRecord = false
    var frames: [Frame] = []
    var openTextFrames = 0
    var records = 0
    /// Text and attribute bytes kept for the current record, at most `maxRecordBytes`.
    var recordBytes = 0
    let maxRecordBytes = 64 << 20
    var rootName: String?
    var finished = false
    /// The first record's attributes and child elements, for the message when a path matches nothing.
    var firstRecordAttributes: [String] = []
    var firstRecordChildren: [String] = []

    public init(source: any ByteSource, size: Int64, file: String, record: String) throws {
        self.file = file
        self.size = size
        let path: XMLRecordPath
        do {
            path = try XMLRecordPath(record)
        } catch let error as RecordPathError {
            throw ImportError(file: file, field: "format.record", value: record, message: error.message)
        }
        recordPath = path.steps.map { $0.map(CName.init) }
        ancestorFields = Array(repeating: [], count: path.steps.count)
        input = XMLInput(source: source)
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue)
        guard
            let reader = xmlReaderForIO(
                xmlInputReadFromSource, nil, Unmanaged.passUnretained(input).toOpaque(), file, nil, options
            )
        else {
            throw ImportError(file: file, message: input.failure.map { "\($0)" } ?? "cannot start the XML parser")
        }
        self.reader = reader
        xmlTextReaderSetStructuredErrorHandler(reader, xmlRecordParseError, Unmanaged.passUnretained(input).toOpaque())
    }

    deinit { xmlFreeTextReader(reader) }

    public var progress: (read: Int64, total: Int64) { (input.source.bytesConsumed, size) }

    public func column(named name: String) throws -> Int {
        if let existing = columnPaths.firstIndex(of: name) { return existing }
        let path: XMLFieldPath
        do {
            path = try XMLFieldPath(name)
        } catch let error as RecordPathError {
            throw ImportError(file: file, value: name, message: error.message)
        }
        let column = columnPaths.count
        if path.up > 0 {
            guard path.up < recordPath.count else {
                throw ImportError(
                    file: file, value: name,
                    message: "goes above the root element (the record path has \(recordPath.count) levels)")
            }
            ancestorFields[recordPath.count - 1 - path.up].append((CName(path.attribute!), column))
        } else {
            var node = fields
            for element in path.elements {
                node = node.child(element.map(CName.init))
            }
            if let attribute = path.attribute {
                node.attributes.append((CName(attribute), column))
            } else {
                node.textColumns.append(column)
            }
            recordColumns.append(column)
        }
        columnPaths.append(name)
        values.append([])
        return column
    }

    public func next() throws -> Bool {
        guard !finished else { return false }
        for c in recordColumns { values[c].removeAll(keepingCapacity: true) }
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 {
                finished = true
                try checkFinished()
                return false
            }
            if status < 0 { throw parseError() }
            switch xmlTextReaderNodeType(reader) {
            case Int32(XML_READER_TYPE_ELEMENT.rawValue):
                if try startElement() { return true }
            case Int32(XML_READER_TYPE_END_ELEMENT.rawValue):
                if endElement(depth: Int(xmlTextReaderDepth(reader))) { return true }
            case Int32(XML_READER_TYPE_TEXT.rawValue), Int32(XML_READER_TYPE_CDATA.rawValue),
                Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue):
                if openTextFrames > 0, let text = xmlTextReaderConstValue(reader) {
                    let count = strlen(UnsafeRawPointer(text).assumingMemoryBound(to: CChar.self))
                    let bytes = UnsafeBufferPointer(start: text, count: count)
                    for i in frames.indices where frames[i].node?.textColumns.isEmpty == false {
                        try keep(count)
                        frames[i].text.append(contentsOf: bytes)
                    }
                }
            case Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue):
                throw ImportError(
                    file: file,
                    message:
                        "the document declares a DTD (<!DOCTYPE …>); DTDs and entity declarations are refused because they can read local files or expand without bound"
                )
            case Int32(XML_READER_TYPE_ENTITY_REFERENCE.rawValue):
                throw ImportError(
                    file: file, line: Int(xmlTextReaderGetParserLineNumber(reader)),
                    message: "entity references other than the five predefined ones and character references are refused"
                )
            default:
                continue
            }
        }
    }

    /// Handles an element start; true when it completed a record (an empty record element).
    func startElement() throws -> Bool {
        let depth = Int(xmlTextReaderDepth(reader))
        let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
        guard let name = xmlTextReaderConstLocalName(reader) else { return false }
        if rootName == nil { rootName = String(cString: name) }
        if inRecord {
            if records == 0, frames.count == 1, firstRecordChildren.count < 30 {
                let child = String(cString: name)
                if !firstRecordChildren.contains(child) { firstRecordChildren.append(child) }
            }
            let node = frames.last?.node?.child(named: name)
            try readAttributes(node?.attributes)
            frames.append(Frame(node: node))
            if node?.textColumns.isEmpty == false { openTextFrames += 1 }
            if isEmpty { _ = endElement(depth: depth) }
            return false
        }
        guard depth == matchedLevels, depth < recordPath.count, recordPath[depth]?.matches(name) ?? true else {
            return false
        }
        if depth < recordPath.count - 1 {
            try readAttributes(ancestorFields[depth], ancestor: true)
            if !isEmpty { matchedLevels = depth + 1 }
            return false
        }
        inRecord = true
        recordBytes = 0
        recordLine =
            xmlTextReaderCurrentNode(reader).map { Int(xmlGetLineNo($0)) } ?? Int(xmlTextReaderGetParserLineNumber(reader))
        if records == 0 {
            while xmlTextReaderMoveToNextAttribute(reader) == 1, firstRecordAttributes.count < 30 {
                if let n = xmlTextReaderConstLocalName(reader) { firstRecordAttributes.append(String(cString: n)) }
            }
            xmlTextReaderMoveToElement(reader)
        }
        try readAttributes(fields.attributes)
        frames.append(Frame(node: fields))
        if !fields.textColumns.isEmpty { openTextFrames += 1 }
        return isEmpty ? endElement(depth: depth) : false
    }

    /// Handles an element end; true when it completed a record.
    func endElement(depth: Int) -> Bool {
        guard inRecord else {
            if depth < matchedLevels { matchedLevels = depth }
            return false
        }
        let frame = frames.removeLast()
        if let node = frame.node, !node.textColumns.isEmpty {
            openTextFrames -= 1
            let text = String(decoding: frame.text, as: UTF8.self)
            for c in node.textColumns { values[c].append(text) }
        }
        guard frames.isEmpty else { return false }
        inRecord = false
        records += 1
        return true
    }

    func readAttributes(_ wanted: [(name: CName, column: Int)]?, ancestor: Bool = false) throws {
        guard let wanted, !wanted.isEmpty else { return }
        for (name, column) in wanted {
            if ancestor { values[column].removeAll() }
            if xmlTextReaderMoveToAttribute(reader, name.pointer) == 1, let v = xmlTextReaderConstValue(reader) {
                if !ancestor { try keep(strlen(UnsafeRawPointer(v).assumingMemoryBound(to: CChar.self))) }
                values[column].append(String(cString: v))
            }
        }
        xmlTextReaderMoveToElement(reader)
    }

    /// Counts `count` more bytes kept for the current record: a record is built in memory, so one
    /// that never ends (text split by comments, an element repeated without end) is stopped at 64 MB.
    func keep(_ count: Int) throws {
        recordBytes += count
        guard recordBytes <= maxRecordBytes else {
            throw ImportError(
                file: file, line: recordLine,
                message: "the record starting on this line holds more than \(maxRecordBytes >> 20) MB of text in the fields read"
            )
        }
    }

    func checkFinished() throws {
        if let failure = input.failure { throw failure }
        if input.parseError != nil { throw parseError() }
        guard records == 0, let first = recordPath.first ?? nil else { return }
        if let rootName, rootName != first.text {
            throw ImportError(
                file: file, field: "format.record", value: recordPath.map { $0?.text ?? "*" }.joined(separator: "/"),
                message: "no record found: the record path starts at <\(first.text)> but the root element is <\(rootName)>"
            )
        }
    }

    func parseError() -> ImportError {
        if let failure = input.failure { return failure }
        let (message, line) = input.parseError ?? ("the XML is not well-formed", Int(xmlTextReaderGetParserLineNumber(reader)))
        return ImportError(file: file, line: line > 0 ? line : nil, message: "not well-formed XML: \(message)")
    }

    public func isEmpty(_ column: Int) -> Bool {
        values[column].allSatisfy(\.isEmpty)
    }

    public func isPresent(_ column: Int) -> Bool { !values[column].isEmpty }

    public func shape(around column: Int) -> String? {
        var parts: [String] = []
        if !firstRecordAttributes.isEmpty {
            parts.append("the attributes " + firstRecordAttributes.map { "@" + $0 }.joined(separator: ", "))
        }
        if !firstRecordChildren.isEmpty { parts.append("the elements " + firstRecordChildren.joined(separator: ", ")) }
        return parts.isEmpty ? "no attributes and no child elements" : parts.joined(separator: " and ")
    }

    public func string(_ column: Int, fieldName: String?) throws -> String {
        let v = values[column]
        guard v.count <= 1 else {
            throw ImportError(
                file: file, line: recordLine, field: fieldName ?? columnPaths[column], value: v.joined(separator: " | "),
                message:
                    "this record has \(v.count) of these; only list fields (\(ListFields.names)) take several values"
            )
        }
        return v.first ?? ""
    }

    public func values(_ column: Int, fieldName: String?) throws -> [String] {
        values[column].filter { !$0.isEmpty }
    }

    /// Element paths below the record that fields read, with the columns at each.
    final class FieldNode {
        var children: [(name: CName?, node: FieldNode)] = []
        var attributes: [(name: CName, column: Int)] = []
        var textColumns: [Int] = []

        func child(_ name: CName?) -> FieldNode {
            if let existing = children.first(where: { $0.name?.text == name?.text }) { return existing.node }
            let node = FieldNode()
            children.append((name, node))
            return node
        }

        /// The child for an element name: an exact name first, then `*`.
        func child(named name: UnsafePointer<xmlChar>) -> FieldNode? {
            children.first { $0.name?.matches(name) == true }?.node ?? children.first { $0.name == nil }?.node
        }
    }

    struct Frame {
        let node: FieldNode?
        var text: [UInt8] = []
    }
}

/// A name kept as a NUL-terminated C string for libxml2 calls and comparisons.
final class CName {
    let text: String
    let pointer: UnsafeMutablePointer<xmlChar>

    init(_ text: String) {
        self.text = text
        let bytes = Array(text.utf8) + [0]
        pointer = .allocate(capacity: bytes.count)
        pointer.initialize(from: bytes, count: bytes.count)
    }

    deinit { pointer.deallocate() }

    func matches(_ other: UnsafePointer<xmlChar>) -> Bool { xmlStrEqual(pointer, other) == 1 }
}

/// The byte source libxml2 reads through, and what went wrong while it did.
final class XMLInput {
    let source: any ByteSource
    var failure: ImportError?
    var parseError: (message: String, line: Int)?

    init(source: any ByteSource) { self.source = source }
}

private func xmlInputReadFromSource(
    _ context: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32
) -> Int32 {
    guard let context, let buffer, length > 0 else { return 0 }
    let input = Unmanaged<XMLInput>.fromOpaque(context).takeUnretainedValue()
    do {
        return Int32(try input.source.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: Int(length))))
    } catch let error as ImportError {
        input.failure = error
    } catch {
        input.failure = ImportError(file: "", message: "\(error)")
    }
    return -1
}

private func xmlRecordParseError(_ context: UnsafeMutableRawPointer?, _ error: xmlErrorPtr?) {
    guard let context, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    let input = Unmanaged<XMLInput>.fromOpaque(context).takeUnretainedValue()
    guard input.parseError == nil else { return }
    let message =
        error.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) }
        ?? "error \(error.pointee.code)"
    input.parseError = (message, Int(error.pointee.line))
}
