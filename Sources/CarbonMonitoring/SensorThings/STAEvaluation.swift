import Foundation

/// What a `$filter` is evaluated on: one entity, which answers a property path with its value
/// (following navigation, `Datastream/Thing/name`, to the related entity's).
public protocol STAFilterSubject {
    func value(at path: ArraySlice<String>) -> STAValue
}

extension STAExpression {
    /// Whether the entity passes the filter: only a `true` result does (OData: null is not true).
    public func matches(_ subject: some STAFilterSubject, now: Double) -> Bool {
        evaluate(subject, now: now) == .bool(true)
    }

    public func evaluate(_ subject: some STAFilterSubject, now: Double) -> STAValue {
        switch self {
        case let .literal(value): return value
        case let .member(path): return subject.value(at: path[...])
        case let .not(inner):
            if case let .bool(b) = inner.evaluate(subject, now: now) { return .bool(!b) }
            return .null
        case let .negate(inner):
            switch inner.evaluate(subject, now: now) {
            case let .number(x): return .number(-x)
            case let .duration(x): return .duration(-x)
            default: return .null
            }
        case let .binary(op, left, right):
            let a = left.evaluate(subject, now: now)
            // and/or follow OData's three-valued logic: false and null is false, true or null is true.
            if op == .and, a == .bool(false) { return .bool(false) }
            if op == .or, a == .bool(true) { return .bool(true) }
            return Self.apply(op, a, right.evaluate(subject, now: now))
        case let .call(name, arguments):
            return Self.call(name, arguments.map { $0.evaluate(subject, now: now) }, now: now)
        }
    }

    static func apply(_ op: STABinaryOperator, _ a: STAValue, _ b: STAValue) -> STAValue {
        switch op {
        case .and, .or:
            guard case let .bool(y) = b else { return .null }
            guard case let .bool(x) = a else { return (op == .and && !y) ? .bool(false) : (op == .or && y) ? .bool(true) : .null }
            return .bool(op == .and ? x && y : x || y)
        case .eq, .ne:
            if a == .null || b == .null { return .bool((a == b) == (op == .eq)) }
            guard let order = STAValue.compare(a, b) else { return .bool(op == .ne) }
            return .bool((order == 0) == (op == .eq))
        case .gt, .ge, .lt, .le:
            guard let order = STAValue.compare(a, b) else { return .null }
            switch op {
            case .gt: return .bool(order > 0)
            case .ge: return .bool(order >= 0)
            case .lt: return .bool(order < 0)
            default: return .bool(order <= 0)
            }
        case .add, .sub, .mul, .div, .mod:
            switch (a, b) {
            case let (.number(x), .number(y)):
                let value: Double
                switch op {
                case .add: value = x + y
                case .sub: value = x - y
                case .mul: value = x * y
                case .div: guard y != 0 else { return .null }; value = x / y
                default: guard y != 0 else { return .null }; value = x.truncatingRemainder(dividingBy: y)
                }
                return value.isFinite ? .number(value) : .null
            case let (.time(t), .duration(d)) where op == .add || op == .sub: return Self.time(op == .add ? t + d : t - d)
            case let (.duration(d), .time(t)) where op == .add: return Self.time(t + d)
            case let (.time(x), .time(y)) where op == .sub: return .duration(x - y)
            case let (.duration(x), .duration(y)) where op == .add || op == .sub: return .duration(op == .add ? x + y : x - y)
            default: return .null
            }
        }
    }

    /// A time from arithmetic, null beyond the years 0001–9999 that ISO 8601 dates name.
    static func time(_ t: Double) -> STAValue {
        (-62_135_596_800...253_402_300_799).contains(t) ? .time(t) : .null
    }

    static func call(_ name: String, _ args: [STAValue], now: Double) -> STAValue {
        func text(_ i: Int) -> String? { if case let .string(s) = args[i] { s } else { nil } }
        func number(_ i: Int) -> Double? { if case let .number(x) = args[i] { x } else { nil } }
        func instant(_ i: Int) -> Double? {
            switch args[i] {
            case let .time(t): t
            case let .string(s): STAValue.instant(s)
            case let .interval(s, _): s
            default: nil
            }
        }
        func calendar(_ pick: (DateComponents) -> Int?) -> STAValue {
            guard let t = instant(0), Self.time(t) != .null else { return .null }
            var utc = Calendar(identifier: .gregorian)
            utc.timeZone = TimeZone(identifier: "UTC")!
            return pick(utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: t))).map { .number(Double($0)) } ?? .null
        }
        switch name {
        case "substringof": guard let a = text(0), let b = text(1) else { return .null }; return .bool(b.contains(a))
        case "endswith": guard let a = text(0), let b = text(1) else { return .null }; return .bool(a.hasSuffix(b))
        case "startswith": guard let a = text(0), let b = text(1) else { return .null }; return .bool(a.hasPrefix(b))
        case "length": return text(0).map { .number(Double($0.count)) } ?? .null
        case "indexof":
            guard let a = text(0), let b = text(1) else { return .null }
            guard let range = a.range(of: b) else { return .number(-1) }
            return .number(Double(a.distance(from: a.startIndex, to: range.lowerBound)))
        case "substring":
            guard let a = text(0), let from = number(1), from >= 0, from == from.rounded() else { return .null }
            let tail = a.dropFirst(Int(min(from, Double(a.count))))
            guard args.count == 3 else { return .string(String(tail)) }
            guard let length = number(2), length >= 0, length == length.rounded() else { return .null }
            return .string(String(tail.prefix(Int(min(length, Double(tail.count))))))
        case "tolower": return text(0).map { .string($0.lowercased()) } ?? .null
        case "toupper": return text(0).map { .string($0.uppercased()) } ?? .null
        case "trim": return text(0).map { .string($0.trimmingCharacters(in: .whitespaces)) } ?? .null
        case "concat": guard let a = text(0), let b = text(1) else { return .null }; return .string(a + b)
        case "year": return calendar(\.year)
        case "month": return calendar(\.month)
        case "day": return calendar(\.day)
        case "hour": return calendar(\.hour)
        case "minute": return calendar(\.minute)
        case "second": return calendar(\.second)
        case "fractionalseconds": return instant(0).map { .number($0 - $0.rounded(.down)) } ?? .null
        case "date": return instant(0).map { .time(($0 / 86_400).rounded(.down) * 86_400) } ?? .null
        case "time": return instant(0).map { .duration($0 - ($0 / 86_400).rounded(.down) * 86_400) } ?? .null
        case "totaloffsetminutes": return instant(0) != nil ? .number(0) : .null
        case "now": return .time(now)
        case "mindatetime": if case let .interval(s, _) = args[0] { return .time(s) }; return instant(0).map(STAValue.time) ?? .null
        case "maxdatetime": if case let .interval(_, e) = args[0] { return .time(e) }; return instant(0).map(STAValue.time) ?? .null
        case "round": return number(0).map { .number($0.rounded(.toNearestOrAwayFromZero)) } ?? .null
        case "floor": return number(0).map { .number($0.rounded(.down)) } ?? .null
        case "ceiling": return number(0).map { .number($0.rounded(.up)) } ?? .null
        case "geo.distance":
            guard case let .geometry(a) = args[0], case let .geometry(b) = args[1] else { return .null }
            return a.distance(to: b).map(STAValue.number) ?? .null
        default: return .null
        }
    }
}
