import Foundation

/// A decoded JSON value that keeps booleans, integers and other numbers apart.
indirect enum AnyJSON: Decodable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([AnyJSON]), object([String: AnyJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else if let a = try? container.decode([AnyJSON].self) { self = .array(a) }
        else { self = .object(try container.decode([String: AnyJSON].self)) }
    }

    static func parse(_ data: Data) throws -> AnyJSON { try JSONDecoder().decode(AnyJSON.self, from: data) }

    subscript(key: String) -> AnyJSON? { if case let .object(o) = self { return o[key] }; return nil }
    var array: [AnyJSON]? { if case let .array(a) = self { return a }; return nil }
    var string: String? { if case let .string(s) = self { return s }; return nil }
    var number: Double? { if case let .number(n) = self { return n }; return nil }
    var object: [String: AnyJSON]? { if case let .object(o) = self { return o }; return nil }
}

/// Checks a response against a schema of the OpenAPI document, in the subset of JSON Schema
/// the document uses (type with null, required, properties, additionalProperties, items,
/// enum, const, minimum, maximum, $ref); every violation comes back with its JSON path.
struct SchemaValidator {
    let document: AnyJSON

    func violations(of value: AnyJSON, against schema: AnyJSON, at path: String = "$") -> [String] {
        if let ref = schema["$ref"]?.string {
            let name = ref.replacingOccurrences(of: "#/components/schemas/", with: "")
            guard let target = document["components"]?["schemas"]?[name] else { return ["\(path): unresolved \(ref)"] }
            return violations(of: value, against: target, at: path)
        }
        var types: [String] = []
        if let one = schema["type"]?.string { types = [one] }
        if let many = schema["type"]?.array { types = many.compactMap(\.string) }
        if !types.isEmpty, !types.contains(where: { matches(value, $0) }) { return ["\(path): \(value) is not \(types.joined(separator: " or "))"] }
        var problems: [String] = []
        if let allowed = schema["enum"]?.array, !allowed.contains(value) { problems.append("\(path): \(value) is not an allowed value") }
        if let constant = schema["const"], constant != value { problems.append("\(path): must be \(constant)") }
        if case let .number(n) = value {
            if let minimum = schema["minimum"]?.number, n < minimum { problems.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"]?.number, n > maximum { problems.append("\(path): above \(maximum)") }
        }
        if case let .object(object) = value {
            for key in schema["required"]?.array?.compactMap(\.string) ?? [] where object[key] == nil {
                problems.append("\(path): missing required \(key)")
            }
            let properties = schema["properties"]?.object ?? [:]
            for (key, member) in object {
                if let propertySchema = properties[key] {
                    problems += violations(of: member, against: propertySchema, at: "\(path).\(key)")
                } else if case .bool(false) = schema["additionalProperties"] ?? .null {
                    problems.append("\(path): unexpected property \(key)")
                } else if let additional = schema["additionalProperties"], additional.object != nil {
                    problems += violations(of: member, against: additional, at: "\(path).\(key)")
                }
            }
        }
        if case let .array(items) = value, let itemSchema = schema["items"] {
            for (i, item) in items.enumerated() { problems += violations(of: item, against: itemSchema, at: "\(path)[\(i)]") }
        }
        return problems
    }

    /// The schema of the 200 response of `path` (as documented, `{year}` and all) for a media type.
    func responseSchema(path: String, method: String = "get", status: String = "200", media: String = "application/json") -> AnyJSON? {
        document["paths"]?[path]?[method]?["responses"]?[status]?["content"]?[media]?["schema"]
    }

    private func matches(_ value: AnyJSON, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("string", .string), ("boolean", .bool), ("object", .object), ("array", .array), ("number", .number): true
        case let ("integer", .number(n)): n == n.rounded()
        default: false
        }
    }
}
