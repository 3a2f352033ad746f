/// One JSON value built in memory: a record, or the enclosing object a record's fields read from.
indirect enum JSONValue {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    /// Keys in document order; `line` is where the object starts.
    case object([(String, JSONValue)], line: Int)
    case array([JSONValue], line: Int)

    var line: Int? {
        switch self {
        case .object(_, let line), .array(_, let line): line
        default: nil
        }
    }

    /// Builds the value whose first event is `first`; `check` runs after each container's events
    /// (to bound the size).
    static func build(from first: JSONTokenizer.Event, tokenizer: JSONTokenizer, check: () throws -> Void) throws -> JSONValue {
        switch first {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .null: return .null
        case .beginObject:
            let line = tokenizer.eventLine
            var pairs: [(String, JSONValue)] = []
            while true {
                guard let e = try tokenizer.next() else { throw tokenizer.fail("the input ends inside an object") }
                if e == .endObject { break }
                guard case .key(let k) = e, let v = try tokenizer.next() else { throw tokenizer.fail("expected a key") }
                pairs.append((k, try build(from: v, tokenizer: tokenizer, check: check)))
                try check()
            }
            return .object(pairs, line: line)
        case .beginArray:
            let line = tokenizer.eventLine
            var items: [JSONValue] = []
            while true {
                guard let e = try tokenizer.next() else { throw tokenizer.fail("the input ends inside an array") }
                if e == .endArray { break }
                items.append(try build(from: e, tokenizer: tokenizer, check: check))
                try check()
            }
            return .array(items, line: line)
        case .endObject, .endArray, .key:
            throw tokenizer.fail("expected a value")
        }
    }

    /// Follows `keys` from this value; arrays met on the way (or at the end) are walked element by element.
    func walk(_ keys: ArraySlice<JSONFieldPath.Step>, into out: inout [JSONValue], throughArray: inout Bool) {
        if case .array(let items, _) = self {
            throughArray = true
            for item in items { item.walk(keys, into: &out, throughArray: &throughArray) }
            return
        }
        guard let step = keys.first else {
            out.append(self)
            return
        }
        guard case .object(let pairs, _) = self, var child = pairs.first(where: { $0.0 == step.key })?.1 else { return }
        if let index = step.index {
            guard case .array(let items, _) = child, index < items.count else { return }
            child = items[index]
        }
        child.walk(keys.dropFirst(), into: &out, throughArray: &throughArray)
    }
}
