/// A SensorThings `$filter` or `$orderby` expression (OGC 18-088, SensorThings API 1.1 §9.3.3.5,
/// on OData 4.0's URL conventions): the tree the parser builds and the evaluator walks.
public indirect enum STAExpression: Sendable, Equatable {
    case literal(STAValue)
    /// A property path: `result`, `properties/owner`, `Datastream/Thing/name`; `id` is `@iot.id`.
    case member([String])
    case not(STAExpression)
    case negate(STAExpression)
    case binary(STABinaryOperator, STAExpression, STAExpression)
    /// A built-in function by its lower-case name (`substringof`, `year`, `geo.distance` …).
    case call(String, [STAExpression])
}

public enum STABinaryOperator: String, Sendable, CaseIterable {
    case or, and, eq, ne, gt, ge, lt, le, add, sub, mul, div, mod

    var precedence: Int {
        switch self {
        case .or: 1
        case .and: 2
        case .eq, .ne, .gt, .ge, .lt, .le: 3
        case .add, .sub: 4
        case .mul, .div, .mod: 5
        }
    }
}

/// Why a query option was refused: the option, the character where the problem starts (from
/// 1), and what was wrong. `unsupported` ones are valid SensorThings the server does not do (501).
public struct STAQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var option: String
    public var position: Int?
    public var message: String
    public var unsupported: Bool

    public init(_ option: String, at position: Int? = nil, _ message: String, unsupported: Bool = false) {
        (self.option, self.position, self.message, self.unsupported) = (option, position, message, unsupported)
    }

    public var description: String { "\(option)\(position.map { " at character \($0)" } ?? ""): \(message)" }
}

extension STAExpression {
    /// The functions of SensorThings 1.1 Table 23 this server evaluates, with their argument counts.
    static let functions: [String: ClosedRange<Int>] = [
        "substringof": 2...2, "endswith": 2...2, "startswith": 2...2, "length": 1...1, "indexof": 2...2, "substring": 2...3,
        "tolower": 1...1, "toupper": 1...1, "trim": 1...1, "concat": 2...2,
        "year": 1...1, "month": 1...1, "day": 1...1, "hour": 1...1, "minute": 1...1, "second": 1...1, "fractionalseconds": 1...1,
        "date": 1...1, "time": 1...1, "totaloffsetminutes": 1...1, "now": 0...0, "mindatetime": 1...1, "maxdatetime": 1...1,
        "round": 1...1, "floor": 1...1, "ceiling": 1...1, "geo.distance": 2...2,
    ]
    /// The rest of Table 23: valid, refused with 501 rather than silently ignored.
    static let unsupportedFunctions: Set<String> = [
        "geo.length", "geo.intersects", "st_equals", "st_disjoint", "st_touches", "st_within", "st_overlaps", "st_crosses",
        "st_intersects", "st_contains", "st_relate",
    ]

    /// Parses `$filter` (or one `$orderby` key when `option` says so).
    public static func parse(_ text: String, option: String = "$filter") throws(STAQueryError) -> STAExpression {
        var parser = Parser(text: Array(text.unicodeScalars), option: option)
        let expression = try parser.expression(minimum: 1)
        parser.skipSpaces()
        guard parser.atEnd else { throw parser.error("unexpected \(parser.rest(12))") }
        return expression
    }

    struct Parser {
        let text: [Unicode.Scalar]
        let option: String
        var index = 0
        /// How deep brackets, `not` and minus signs nest: bounded, so no expression exhausts the stack.
        var depth = 0
        static let maximumDepth = 64

        var atEnd: Bool { index >= text.count }

        func error(_ message: String, at position: Int? = nil) -> STAQueryError {
            STAQueryError(option, at: (position ?? index) + 1, message)
        }

        func rest(_ count: Int) -> String {
            atEnd ? "end" : "'" + String(String.UnicodeScalarView(text[index..<min(text.count, index + count)])) + "'"
        }

        mutating func skipSpaces() { while !atEnd, text[index] == " " || text[index] == "\t" { index += 1 } }

        /// Precedence climbing: operators at `minimum` or tighter.
        mutating func expression(minimum: Int) throws(STAQueryError) -> STAExpression {
            var left = try unary()
            while true {
                skipSpaces()
                let save = index
                guard let word = peekWord(), let op = STABinaryOperator(rawValue: word), op.precedence >= minimum else {
                    index = save
                    return left
                }
                index += word.unicodeScalars.count
                guard !atEnd, text[index] == " " || text[index] == "(" || text[index] == "'" else {
                    throw error("'\(word)' must be followed by a space")
                }
                let right = try expression(minimum: op.precedence + 1)
                if op.precedence == 3, case .binary(let inner, _, _) = left, inner.precedence == 3 {
                    throw error("comparisons do not chain; join them with and", at: save)
                }
                left = .binary(op, left, right)
            }
        }

        mutating func unary() throws(STAQueryError) -> STAExpression {
            skipSpaces()
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maximumDepth else { throw error("nests more than \(Self.maximumDepth) deep") }
            if peekWord() == "not", index + 3 < text.count, text[index + 3] == " " || text[index + 3] == "(" {
                index += 3
                return .not(try expression(minimum: 3))
            }
            if !atEnd, text[index] == "-", index + 1 < text.count, ("0"..."9").contains(text[index + 1]) {
                return try primary()
            }
            if !atEnd, text[index] == "-" {
                index += 1
                return .negate(try unary())
            }
            return try primary()
        }

        func peekWord() -> String? {
            var end = index
            while end < text.count, isIdentifier(text[end]) || text[end] == "." { end += 1 }
            return end > index ? String(String.UnicodeScalarView(text[index..<end])) : nil
        }

        func isIdentifier(_ c: Unicode.Scalar) -> Bool {
            c == "_" || c == "@" || (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c)))
        }

        mutating func primary() throws(STAQueryError) -> STAExpression {
            skipSpaces()
            guard !atEnd else { throw error("the expression ends too early") }
            let start = index
            let c = text[index]
            if c == "(" {
                index += 1
                let inner = try expression(minimum: 1)
                skipSpaces()
                guard !atEnd, text[index] == ")" else { throw error("expected ')' to close the one at character \(start + 1)") }
                index += 1
                return inner
            }
            if c == "'" { return .literal(.string(try quoted())) }
            if c == "-" || ("0"..."9").contains(c) { return .literal(try numberOrTime()) }
            guard let word = peekWord() else { throw error("unexpected \(rest(12))") }
            index += word.unicodeScalars.count
            switch word {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null": return .literal(.null)
            case "duration", "geography", "geometry":
                guard !atEnd, text[index] == "'" else { break }
                let body = try quoted()
                if word == "duration" {
                    guard let seconds = STAValue.duration(body) else { throw error("not an ISO 8601 duration: \(body)", at: start) }
                    return .literal(.duration(seconds))
                }
                guard let geometry = STAGeometry(wkt: body) else {
                    throw error("not a WKT point, line or polygon: \(body)", at: start)
                }
                return .literal(.geometry(geometry))
            default: break
            }
            skipSpaces()
            if !atEnd, text[index] == "(" {
                let name = word.lowercased()
                guard Self.known(name) else { throw error("\(word) is not a SensorThings function", at: start) }
                if STAExpression.unsupportedFunctions.contains(name) {
                    throw STAQueryError(option, at: start + 1, "\(word) is not supported by this server", unsupported: true)
                }
                index += 1
                var arguments: [STAExpression] = []
                skipSpaces()
                if !atEnd, text[index] == ")" { index += 1 } else {
                    while true {
                        arguments.append(try expression(minimum: 1))
                        skipSpaces()
                        guard !atEnd else { throw error("expected ')' after the arguments of \(word)") }
                        if text[index] == "," { index += 1; continue }
                        guard text[index] == ")" else { throw error("expected ',' or ')' in the arguments of \(word)") }
                        index += 1
                        break
                    }
                }
                let range = STAExpression.functions[name]!
                guard range.contains(arguments.count) else {
                    throw error("\(word) takes \(range.lowerBound == range.upperBound ? "\(range.lowerBound)" : "\(range.lowerBound) or \(range.upperBound)") arguments, not \(arguments.count)", at: start)
                }
                return .call(name, arguments)
            }
            var path = [word]
            while !atEnd, text[index] == "/" {
                index += 1
                guard let next = peekWord(), !next.contains(".") else { throw error("expected a property name after '/'") }
                index += next.unicodeScalars.count
                path.append(next)
            }
            if path.contains(where: { $0.contains(".") }) { throw error("\(word) is not a property", at: start) }
            return .member(path.map { $0 == "@iot.id" ? "id" : $0 })
        }

        static func known(_ name: String) -> Bool {
            STAExpression.functions[name] != nil || STAExpression.unsupportedFunctions.contains(name)
        }

        /// A quoted string; `''` is one quote.
        mutating func quoted() throws(STAQueryError) -> String {
            let start = index
            index += 1
            var value = String.UnicodeScalarView()
            while true {
                guard !atEnd else { throw error("the string that starts here is not closed with '", at: start) }
                let c = text[index]
                index += 1
                if c == "'" {
                    if !atEnd, text[index] == "'" { value.append("'"); index += 1; continue }
                    return String(value)
                }
                value.append(c)
            }
        }

        /// A number, or a date-time (`2026-11-25T08:00:00Z`, with an offset or fraction) or an
        /// interval of two, which start with digits too.
        mutating func numberOrTime() throws(STAQueryError) -> STAValue {
            let start = index
            while !atEnd, !" ),".unicodeScalars.contains(text[index]) { index += 1 }
            let token = String(String.UnicodeScalarView(text[start..<index]))
            if token.contains("T") || (token.count == 10 && token.filter({ $0 == "-" }).count == 2) {
                if let slash = token.firstIndex(of: "/") {
                    guard let from = STAValue.instant(String(token[..<slash])), let to = STAValue.instant(String(token[token.index(after: slash)...])),
                          from <= to else { throw error("not a time interval: \(token)", at: start) }
                    return .interval(from, to)
                }
                guard let time = STAValue.instant(token) else { throw error("not an ISO 8601 date-time: \(token)", at: start) }
                return .time(time)
            }
            let digits = token.hasSuffix("L") || token.hasSuffix("M") || token.hasSuffix("d") || token.hasSuffix("f") ? String(token.dropLast()) : token
            guard digits.unicodeScalars.allSatisfy({ "0123456789.-+eE".unicodeScalars.contains($0) }), let number = Double(digits), number.isFinite else {
                throw error("not a number: \(token)", at: start)
            }
            return .number(number)
        }
    }
}
