/// A request's SensorThings query options (SensorThings API 1.1 §9.3): what to select, expand,
/// filter and order, and which page. `$expand` carries its own options for the related set.
public struct STAQueryOptions: Sendable, Equatable {
    public var select: [String]?
    public var expand: [Expansion] = []
    public var filter: STAExpression?
    public var orderBy: [(STAExpression, descending: Bool)] = []
    public var top: Int?
    public var skip = 0
    public var count = false
    public var dataArray = false
    /// The options as written, `(name, value)` in order: an expansion's next page repeats them.
    public var written: [(name: String, value: String)] = []

    /// The most entities one page holds; more is asked for with `@iot.nextLink`.
    public static let maximumTop = 1000
    public static let defaultTop = 100

    public struct Expansion: Sendable, Equatable {
        /// The navigation property (`Datastreams`), and further ones for a path (`Datastreams/Observations`).
        public var path: [String]
        public var options: STAQueryOptions
    }

    public init() {}

    public static func == (a: STAQueryOptions, b: STAQueryOptions) -> Bool {
        a.select == b.select && a.expand == b.expand && a.filter == b.filter && a.top == b.top && a.skip == b.skip && a.count == b.count
            && a.dataArray == b.dataArray && a.orderBy.count == b.orderBy.count
            && zip(a.orderBy, b.orderBy).allSatisfy { $0.0 == $1.0 && $0.descending == $1.descending }
    }

    /// The page size asked for, or the default.
    public var pageSize: Int { top ?? Self.defaultTop }

    /// Reads decoded `(name, value)` pairs from a URL's query. Names other than the system query
    /// options are left to the caller; an unknown `$` option is refused.
    public static func parse(_ pairs: [(String, String)]) throws(STAQueryError) -> STAQueryOptions {
        var options = STAQueryOptions()
        var seen = Set<String>()
        for (name, value) in pairs where name.hasPrefix("$") {
            guard seen.insert(name).inserted else { throw STAQueryError(name, "is given twice") }
            try options.set(name, value, nested: false)
        }
        return options
    }

    /// The longest value each option may have, as the OpenAPI document states.
    static let maximumLength = ["$filter": 2000, "$expand": 2000, "$select": 500, "$orderby": 500]

    mutating func set(_ name: String, _ value: String, nested: Bool) throws(STAQueryError) {
        if let limit = Self.maximumLength[name], value.count > limit {
            throw STAQueryError(name, "is \(value.count) characters long; at most \(limit)")
        }
        written.append((name, value))
        switch name {
        case "$select":
            let names = value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            for (index, item) in names.enumerated() where !item.unicodeScalars.allSatisfy({ $0 == "@" || $0 == "." || $0 == "_" || $0 == "/" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }) || item.isEmpty {
                throw STAQueryError(name, "item \(index + 1) ('\(item)') is not a property name")
            }
            select = names.map { $0 == "@iot.id" ? "id" : $0 }
        case "$expand":
            expand = try Self.expansions(value)
        case "$filter":
            filter = try STAExpression.parse(value)
            try filter?.checkKinds()
        case "$orderby":
            orderBy = []
            for (index, item) in Self.splitTopLevel(value, ",").enumerated() {
                var key = item.trimmingCharacters(in: .whitespaces)
                var descending = false
                if key.lowercased().hasSuffix(" desc") { descending = true; key = String(key.dropLast(5)) }
                else if key.lowercased().hasSuffix(" asc") { key = String(key.dropLast(4)) }
                guard !key.trimmingCharacters(in: .whitespaces).isEmpty else { throw STAQueryError(name, "key \(index + 1) is empty") }
                orderBy.append((try STAExpression.parse(key, option: name), descending))
            }
        case "$top":
            guard let n = Int(value), (0...Self.maximumTop).contains(n) else {
                throw STAQueryError(name, "must be a whole number from 0 to \(Self.maximumTop), not '\(value.prefix(40))'")
            }
            top = n
        case "$skip":
            guard let n = Int(value), n >= 0, n <= Int(Int32.max) else {
                throw STAQueryError(name, "must be a whole number from 0 to \(Int32.max), not '\(value.prefix(40))'")
            }
            skip = n
        case "$count":
            guard value == "true" || value == "false" else { throw STAQueryError(name, "must be true or false, not '\(value.prefix(40))'") }
            count = value == "true"
        case "$resultFormat":
            guard !nested else { throw STAQueryError(name, "applies to the whole request, not inside $expand") }
            guard value == "dataArray" else {
                // FROST's own formats are real, and not done here; anything else is no format at all.
                throw STAQueryError(name, "only dataArray is supported, not '\(value.prefix(40))'", unsupported: ["GeoJSON", "CSV"].contains(value))
            }
            dataArray = true
        case "$search", "$format", "$apply", "$levels", "$compute", "$index", "$schemaversion":
            throw STAQueryError(name, "is not supported by this server", unsupported: true)
        default:
            throw STAQueryError(name, "is not a SensorThings query option")
        }
    }

    /// How deep `$expand` may nest: the data model's longest useful path is shorter.
    static let maximumExpandDepth = 8

    /// `Datastreams($top=2;$expand=Observations),Locations`.
    static func expansions(_ text: String) throws(STAQueryError) -> [Expansion] {
        var depth = 0, deepest = 0
        for c in text { if c == "(" { depth += 1; deepest = max(deepest, depth) } else if c == ")" { depth -= 1 } }
        guard deepest <= maximumExpandDepth, text.split(separator: "/").count <= maximumExpandDepth * 2 else {
            throw STAQueryError("$expand", "nests more than \(maximumExpandDepth) deep")
        }
        var result: [Expansion] = []
        for item in splitTopLevel(text, ",") {
            let trimmed = item.trimmingCharacters(in: .whitespaces)
            var path = trimmed, inner = ""
            if let open = trimmed.firstIndex(of: "(") {
                guard trimmed.hasSuffix(")") else { throw STAQueryError("$expand", "'\(trimmed.prefix(60))' opens a bracket it does not close") }
                path = String(trimmed[..<open])
                inner = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            }
            let names = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty && $0.unicodeScalars.allSatisfy { $0.isASCII && $0.properties.isAlphabetic } }) else {
                throw STAQueryError("$expand", "'\(path.prefix(60))' is not a navigation property")
            }
            var options = STAQueryOptions()
            var seen = Set<String>()
            for part in splitTopLevel(inner, ";") where !part.trimmingCharacters(in: .whitespaces).isEmpty {
                let option = part.trimmingCharacters(in: .whitespaces)
                guard let equals = option.firstIndex(of: "=") else { throw STAQueryError("$expand", "'\(option.prefix(60))' is not name=value") }
                let name = String(option[..<equals])
                guard seen.insert(name).inserted else { throw STAQueryError("$expand", "\(name) is given twice for \(path)") }
                try options.set(name, String(option[option.index(after: equals)...]), nested: true)
            }
            // A path expands each step; the options belong to the last.
            var expansion = Expansion(path: [names.last!], options: options)
            for name in names.dropLast().reversed() {
                var outer = STAQueryOptions()
                outer.expand = [expansion]
                expansion = Expansion(path: [name], options: outer)
            }
            result.append(expansion)
        }
        return result
    }

    /// Splits at `separator` outside brackets and quoted strings.
    static func splitTopLevel(_ text: String, _ separator: Character) -> [String] {
        var parts: [String] = [], current = "", depth = 0, quoted = false
        for c in text {
            if c == "'" { quoted.toggle() }
            if !quoted { if c == "(" { depth += 1 } else if c == ")" { depth -= 1 } }
            if c == separator, depth == 0, !quoted { parts.append(current); current = "" } else { current.append(c) }
        }
        if !current.isEmpty || !parts.isEmpty { parts.append(current) }
        return parts
    }
}

extension STAQueryOptions {
    /// Refuses names the entity type does not have: a selected property, an expanded navigation
    /// property, or a property a filter or order reads (OData answers these 400, not empty values).
    public func check(for type: STAEntityType, option prefix: String = "") throws(STAQueryError) {
        for name in select ?? [] where !(type.properties.contains(name) || name == "id" || name == "selfLink" || type.navigation[name] != nil) {
            throw STAQueryError(prefix + "$select", "\(type.singular) has no property \(name.prefix(60))")
        }
        for expansion in expand {
            let name = expansion.path[0]
            guard let target = type.navigation[name] else {
                throw STAQueryError(prefix + "$expand", "\(name.prefix(60)) is not a navigation property of \(type.singular)")
            }
            try expansion.options.check(for: target.type, option: prefix + "$expand(\(name))/")
        }
        if let filter { try Self.check(filter, type, prefix + "$filter") }
        for (key, _) in orderBy { try Self.check(key, type, prefix + "$orderby") }
    }

    static func check(_ expression: STAExpression, _ type: STAEntityType, _ option: String) throws(STAQueryError) {
        switch expression {
        case .literal: return
        case let .not(inner), let .negate(inner): try check(inner, type, option)
        case let .binary(_, a, b): try check(a, type, option); try check(b, type, option)
        case let .call(_, arguments): for argument in arguments { try check(argument, type, option) }
        case let .member(path):
            var current = type
            for name in path {
                if name == "id" { return }
                if let target = current.navigation[name] {
                    guard !target.many else { throw STAQueryError(option, "\(name) is a set; a filter follows only single navigation properties") }
                    current = target.type
                    continue
                }
                // Below a property (properties/owner, unitOfMeasurement/symbol) any key may be asked.
                guard current.properties.contains(name) else { throw STAQueryError(option, "\(current.singular) has no property \(name.prefix(60))") }
                return
            }
        }
    }
}
