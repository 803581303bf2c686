/// JSON Patch (RFC 6902): a list of operations (`add`, `remove`, `replace`, `move`, `copy`,
/// `test`) on places named by JSON Pointers (RFC 6901). All apply or none: an operation that
/// cannot is refused with its place in the list.
public enum JSONPatch {
    public static let maximumOperations = 100

    public static func apply(_ operations: JSONValue, to document: JSONValue) throws(InputErrors) -> JSONValue {
        guard case let .array(list) = operations else {
            throw InputErrors([InputIssue(InputLocation(), reason: "a JSON Patch is an array of operations (RFC 6902)")])
        }
        guard list.count <= maximumOperations else {
            throw InputErrors([InputIssue(InputLocation(), value: String(list.count), reason: "holds more than \(maximumOperations) operations")])
        }
        var result = document
        for (index, operation) in list.enumerated() {
            let place = "[\(index)]"
            func fail(_ field: String, _ value: String?, _ reason: String) -> InputErrors {
                InputErrors([InputIssue(InputLocation(field: place + field), value: value, reason: reason)])
            }
            guard case let .object(members) = operation else { throw fail("", nil, "is not an operation object") }
            func member(_ name: String) -> JSONValue? { members.first { $0.0 == name }?.1 }
            guard case let .string(op)? = member("op") else { throw fail(".op", nil, "names the operation: add, remove, replace, move, copy or test") }
            guard case let .string(pathText)? = member("path") else { throw fail(".path", nil, "is a JSON Pointer such as /properties/model") }
            guard let path = pointer(pathText) else { throw fail(".path", pathText, "is not a JSON Pointer: it starts with / and escapes ~ and / as ~0 and ~1") }
            func from() throws(InputErrors) -> [String] {
                guard case let .string(text)? = member("from"), let path = pointer(text) else {
                    throw fail(".from", nil, "is the JSON Pointer the value comes from")
                }
                return path
            }
            func value() throws(InputErrors) -> JSONValue {
                guard let value = member("value") else { throw fail(".value", nil, "is the value to \(op)") }
                return value
            }
            do {
                switch op {
                case "add": result = try set(result, path[...], try value(), mode: .add)
                case "replace": result = try set(result, path[...], try value(), mode: .replace)
                case "remove": result = try set(result, path[...], nil, mode: .replace)
                case "move":
                    let source = try from()
                    if path.starts(with: source), path.count > source.count { throw Failure("cannot move a value into itself") }
                    guard let moved = get(result, source[...]) else { throw Failure("from names nothing") }
                    result = try set(set(result, source[...], nil, mode: .replace), path[...], moved, mode: .add)
                case "copy":
                    guard let copied = get(result, try from()[...]) else { throw Failure("from names nothing") }
                    result = try set(result, path[...], copied, mode: .add)
                case "test":
                    let expected = try value()
                    guard let found = get(result, path[...]), found == expected else { throw Failure("the test failed: the value there differs") }
                default:
                    throw fail(".op", op, "is not an operation: add, remove, replace, move, copy or test")
                }
            } catch let failure as Failure {
                throw fail(".path", pathText, failure.reason)
            } catch let errors as InputErrors {
                throw errors
            } catch {
                throw fail("", nil, "\(error)")
            }
        }
        return result
    }

    struct Failure: Error {
        let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    enum Mode { case add, replace }

    /// RFC 6901: `""` is the whole document; `/a~1b/0` is member `a/b`, then item 0.
    static func pointer(_ text: String) -> [String]? {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { return nil }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    static func get(_ document: JSONValue, _ path: ArraySlice<String>) -> JSONValue? {
        guard let key = path.first else { return document }
        switch document {
        case let .object(members): return members.first { $0.0 == key }.flatMap { get($0.1, path.dropFirst()) }
        case let .array(items):
            guard let index = Int(key), items.indices.contains(index), key == String(index) else { return nil }
            return get(items[index], path.dropFirst())
        default: return nil
        }
    }

    /// The document with `value` put at `path` (added, or replacing what is there), or what is there removed when `value` is nil.
    static func set(_ document: JSONValue, _ path: ArraySlice<String>, _ value: JSONValue?, mode: Mode) throws -> JSONValue {
        guard let key = path.first else {
            guard let value else { throw Failure("the whole document cannot be removed") }
            return value
        }
        let last = path.count == 1
        switch document {
        case var .object(members):
            let index = members.firstIndex { $0.0 == key }
            if last {
                switch (value, index) {
                case let (value?, index?): members[index].1 = value
                case let (value?, nil):
                    guard mode == .add else { throw Failure("there is no member \(key) to replace") }
                    members.append((key, value))
                case let (nil, index?): members.remove(at: index)
                case (nil, nil): throw Failure("there is no member \(key) to remove")
                }
            } else {
                guard let index else { throw Failure("there is no member \(key)") }
                members[index].1 = try set(members[index].1, path.dropFirst(), value, mode: mode)
            }
            return .object(members)
        case var .array(items):
            if last, key == "-", value != nil, mode == .add {
                items.append(value!)
                return .array(items)
            }
            guard let index = Int(key), key == String(index), index >= 0 else { throw Failure("\(key) is not an item's index") }
            if last {
                switch (value, mode) {
                case let (value?, .add):
                    guard index <= items.count else { throw Failure("item \(index) is past the end") }
                    items.insert(value, at: index)
                case let (value?, .replace):
                    guard items.indices.contains(index) else { throw Failure("there is no item \(index)") }
                    items[index] = value
                case (nil, _):
                    guard items.indices.contains(index) else { throw Failure("there is no item \(index)") }
                    items.remove(at: index)
                }
            } else {
                guard items.indices.contains(index) else { throw Failure("there is no item \(index)") }
                items[index] = try set(items[index], path.dropFirst(), value, mode: mode)
            }
            return .array(items)
        default:
            throw Failure("\(key) is inside a value that is neither an object nor an array")
        }
    }
}
