/// What a `$filter` can be known to compare before it runs: this server's results are numbers and
/// its times are times, so `result gt 'abc'` or `phenomenonTime lt 5` can never hold for any
/// entity. Such a filter is refused (400) rather than answered with nothing, which a client could
/// not tell from no match; so is arithmetic with text and a division by the literal zero.
extension STAExpression {
    enum Kind: Equatable { case number, text, time, unknown }

    /// The kind an expression has wherever it is evaluated, when it has one.
    var kind: Kind {
        switch self {
        case let .literal(value):
            switch value {
            case .number: return .number
            case .string: return .text
            case .time: return .time
            default: return .unknown
            }
        case let .member(path):
            switch path.last {
            case "result": return path.count == 1 ? .number : .unknown
            case "phenomenonTime", "resultTime", "time": return .time
            default: return .unknown
            }
        case .negate: return .number
        case let .binary(op, _, _):
            switch op {
            case .add, .sub, .mul, .div, .mod: return .number
            default: return .unknown
            }
        default: return .unknown
        }
    }

    /// Throws where a comparison or arithmetic meets kinds that can never go together.
    func checkKinds(option: String = "$filter") throws(STAQueryError) {
        switch self {
        case let .not(inner):
            try inner.checkKinds(option: option)
            if [.number, .text, .time].contains(inner.kind) { throw STAQueryError(option, "not needs a condition, not \(inner.kind.name): \(inner.shown)") }
        case let .negate(inner):
            try inner.checkKinds(option: option)
        case let .call(_, arguments):
            for argument in arguments { try argument.checkKinds(option: option) }
        case let .binary(op, left, right):
            try left.checkKinds(option: option)
            try right.checkKinds(option: option)
            let (a, b) = (left.kind, right.kind)
            switch op {
            case .eq, .ne, .gt, .ge, .lt, .le:
                if a != .unknown, b != .unknown, a != b, !(Set([a, b]) == [.time, .text]) {
                    throw STAQueryError(option, "\(op.rawValue) compares \(a.name) with \(b.name), which never holds: \(left.shown) \(op.rawValue) \(right.shown)")
                }
                // A time compared with text: the text must be a time.
                if Set([a, b]) == [.time, .text] {
                    for case let .literal(.string(text)) in [left, right] where STAValue.instant(text) == nil {
                        throw STAQueryError(option, "\(op.rawValue) compares a time with '\(text.prefix(40))', which is not a time")
                    }
                }
            case .and, .or:
                for side in [left, right] where [.number, .text, .time].contains(side.kind) {
                    throw STAQueryError(option, "\(op.rawValue) joins conditions, not \(side.kind.name): \(side.shown)")
                }
            case .add, .sub, .mul, .div, .mod:
                for (side, kind) in [(left, a), (right, b)] where kind == .text || kind == .time && op != .add && op != .sub {
                    throw STAQueryError(option, "\(op.rawValue) needs numbers, not \(kind.name): \(side.shown)")
                }
                if op == .div || op == .mod, case .literal(.number(0)) = right {
                    throw STAQueryError(option, "\(op.rawValue) by zero: \(left.shown) \(op.rawValue) 0")
                }
            default:
                break
            }
        default:
            break
        }
    }

    /// The expression briefly, for an error message.
    var shown: String {
        switch self {
        case let .literal(.string(text)): "'\(text.prefix(40))'"
        case let .literal(.number(x)): x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
        case let .member(path): path.joined(separator: "/")
        default: "(…)"
        }
    }
}

extension STAExpression.Kind {
    var name: String {
        switch self {
        case .number: "a number"
        case .text: "text"
        case .time: "a time"
        case .unknown: "a value"
        }
    }
}
