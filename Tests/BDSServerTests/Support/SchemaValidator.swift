import Foundation

/// A JSON document read without Foundation's number/boolean ambiguity.
indirect enum JSONValue: Decodable, CustomStringConvertible {
    case object([String: JSONValue]), array([JSONValue]), string(String), bool(Bool), integer(Int), number(Double), null

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let i = try? c.decode(Int.self) {
            self = .integer(i)
        } else if let d = try? c.decode(Double.self) {
            self = .number(d)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    var description: String {
        switch self {
        case .object: "an object"
        case .array: "an array"
        case .string(let s): "\"\(s)\""
        case .bool(let b): "\(b)"
        case .integer(let i): "\(i)"
        case .number(let d): "\(d)"
        case .null: "null"
        }
    }

    /// The scalar as written in YAML, for comparing with `enum` and `const`.
    var scalarText: String? {
        switch self {
        case .string(let s): s
        case .bool(let b): "\(b)"
        case .integer(let i): "\(i)"
        case .number(let d): "\(d)"
        default: nil
        }
    }
}

/// Checks a JSON value against the JSON Schema keywords openapi.yaml uses: `$ref` (to
/// `#/components/schemas/…`), `type`, `enum`, `const`, `required`, `properties`,
/// `additionalProperties`, `items`, `oneOf`, `minItems`, `maxItems`, `minLength`, `maxLength`,
/// `minimum`, `maximum`, `pattern`. An unknown keyword is itself a failure.
struct SchemaValidator {
    let schemas: [String: Any]

    static let known: Set<String> = [
        "$ref", "type", "enum", "const", "required", "properties", "additionalProperties", "items", "oneOf",
        "minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "pattern", "format", "description", "default",
    ]

    func validate(_ value: JSONValue, against schema: [String: Any], at path: String = "$") -> [String] {
        var problems: [String] = []
        for key in schema.keys where !Self.known.contains(key) { problems.append("\(path): unsupported schema keyword \(key)") }
        if let ref = schema["$ref"] as? String {
            let name = ref.replacingOccurrences(of: "#/components/schemas/", with: "")
            guard let target = schemas[name] as? [String: Any] else { return ["\(path): unknown $ref \(ref)"] }
            return validate(value, against: target, at: path)
        }
        if let type = schema["type"] as? String, !Self.matches(value, type: type) {
            return ["\(path): expected \(type), got \(value)"]
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { "\($0)" == value.scalarText }) {
            problems.append("\(path): \(value) is not one of \(options)")
        }
        if let constant = schema["const"], "\(constant)" != value.scalarText {
            problems.append("\(path): \(value) is not \(constant)")
        }
        if let choices = schema["oneOf"] as? [[String: Any]] {
            let passing = choices.filter { validate(value, against: $0, at: path).isEmpty }.count
            if passing != 1 { problems.append("\(path): matches \(passing) of the oneOf schemas, not exactly one") }
        }
        switch value {
        case .object(let object):
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing required \(key)")
            }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, member) in object {
                if let sub = properties[key] as? [String: Any] {
                    problems += validate(member, against: sub, at: "\(path).\(key)")
                } else if let allowed = schema["additionalProperties"] as? Bool, !allowed {
                    problems.append("\(path): unexpected property \(key)")
                } else if let sub = schema["additionalProperties"] as? [String: Any] {
                    problems += validate(member, against: sub, at: "\(path).\(key)")
                }
            }
        case .array(let array):
            if let min = schema["minItems"] as? Int, array.count < min { problems.append("\(path): fewer than \(min) items") }
            if let max = schema["maxItems"] as? Int, array.count > max { problems.append("\(path): more than \(max) items") }
            if let items = schema["items"] as? [String: Any] {
                for (i, item) in array.enumerated() { problems += validate(item, against: items, at: "\(path)[\(i)]") }
            }
        case .string(let string):
            if let min = schema["minLength"] as? Int, string.count < min { problems.append("\(path): shorter than \(min)") }
            if let max = schema["maxLength"] as? Int, string.count > max { problems.append("\(path): longer than \(max)") }
            if let pattern = schema["pattern"] as? String, string.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \(string) does not match \(pattern)")
            }
        case .integer, .number:
            let number: Double =
                if case .integer(let i) = value { Double(i) } else if case .number(let d) = value { d } else { 0 }
            if let min = Self.double(schema["minimum"]), number < min { problems.append("\(path): below \(min)") }
            if let max = Self.double(schema["maximum"]), number > max { problems.append("\(path): above \(max)") }
        default:
            break
        }
        return problems
    }

    static func double(_ any: Any?) -> Double? {
        if let i = any as? Int { return Double(i) }
        return any as? Double
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("integer", .integer),
            ("number", .integer), ("number", .number), ("null", .null):
            true
        default:
            false
        }
    }
}
