import CarbonKit
import Foundation

/// One SensorThings entity as the service works on it: its type, id and properties (in
/// ``STAEntityType/properties`` order, absent ones left out).
public struct STAEntity: Sendable {
    public var type: STAEntityType
    public var id: STAID
    public var properties: [(String, JSONValue)]

    public init(type: STAEntityType, id: STAID, properties: [(String, JSONValue)]) {
        (self.type, self.id, self.properties) = (type, id, properties)
    }

    public subscript(name: String) -> JSONValue? { properties.first { $0.0 == name }?.1 }
}

/// Time and result bounds a `$filter` on Observations implies, so the store reads only that
/// range; the whole filter is still applied to what it returns.
public struct STAObservationWindow: Sendable, Equatable {
    public var from: Double?, fromInclusive = true
    public var to: Double?, toInclusive = true
    public var resultAbove: Double?, resultAboveInclusive = true
    public var resultBelow: Double?, resultBelowInclusive = true
    /// Whether the window is the whole filter, so the store may count without the filter being applied.
    public var exact = true

    public init() {}

    /// The bounds of the filter's top-level `and` terms that compare `phenomenonTime` or `result` with a literal.
    public init(_ filter: STAExpression?) {
        guard let filter else { return }
        var terms: [STAExpression] = []
        func collect(_ e: STAExpression) {
            if case let .binary(.and, a, b) = e { collect(a); collect(b) } else { terms.append(e) }
        }
        collect(filter)
        for term in terms {
            guard case let .binary(op, left, right) = term else { exact = false; continue }
            var (member, literal, comparison) = (left, right, op)
            if case .literal = left, case .member = right {
                (member, literal) = (right, left)
                switch op { case .gt: comparison = .lt; case .ge: comparison = .le; case .lt: comparison = .gt; case .le: comparison = .ge; default: break }
            }
            guard case let .member(path) = member, path.count == 1, case let .literal(value) = literal else { exact = false; continue }
            switch (path[0], value) {
            case let ("phenomenonTime", .time(t)):
                switch comparison {
                case .gt: tighten(from: t, inclusive: false)
                case .ge: tighten(from: t, inclusive: true)
                case .lt: tighten(to: t, inclusive: false)
                case .le: tighten(to: t, inclusive: true)
                case .eq: tighten(from: t, inclusive: true); tighten(to: t, inclusive: true)
                default: exact = false
                }
            case let ("result", .number(x)):
                switch comparison {
                case .gt, .ge: raise(x, inclusive: comparison == .ge)
                case .lt, .le: lower(x, inclusive: comparison == .le)
                case .eq: raise(x, inclusive: true); lower(x, inclusive: true)
                default: exact = false
                }
            default: exact = false
            }
        }
    }

    mutating func raise(_ x: Double, inclusive: Bool) {
        if let resultAbove, resultAbove > x || (resultAbove == x && !resultAboveInclusive) { return }
        (resultAbove, resultAboveInclusive) = (x, inclusive)
    }

    mutating func lower(_ x: Double, inclusive: Bool) {
        if let resultBelow, resultBelow < x || (resultBelow == x && !resultBelowInclusive) { return }
        (resultBelow, resultBelowInclusive) = (x, inclusive)
    }

    mutating func tighten(from t: Double, inclusive: Bool) {
        if let from, from > t || (from == t && !fromInclusive) { return }
        (from, fromInclusive) = (t, inclusive)
    }

    mutating func tighten(to t: Double, inclusive: Bool) {
        if let to, to < t || (to == t && !toInclusive) { return }
        (to, toInclusive) = (t, inclusive)
    }
}

/// Where the entities come from (the store), limited to what the caller may see.
public protocol STASource {
    /// Every entity of a type other than Observations.
    func entities(_ type: STAEntityType) throws -> [STAEntity]
    func entity(_ type: STAEntityType, id: STAID) throws -> STAEntity?
    /// The entities a navigation property of `entity` leads to (other than Observations).
    func related(_ entity: STAEntity, _ navigation: String) throws -> [STAEntity]
    /// Observations in `window`, of the datastreams given (nil: all), in (datastream, time) order
    /// (time newest first when `descending`), after the `after` one, at most `limit`.
    func observations(datastreams: [STAID]?, window: STAObservationWindow, after: STAEntity?, limit: Int, descending: Bool) throws -> [STAEntity]
    /// How many observations of those datastreams lie in `window`, counted by the store.
    func countObservations(datastreams: [STAID]?, window: STAObservationWindow) throws -> Int
    /// The datastreams (or multi-datastreams) an entity's observations come from, for navigation to Observations.
    func observationStreams(of entity: STAEntity) throws -> [STAID]?
}

/// Answers a SensorThings GET: resolves the path, filters, orders, pages, expands and selects.
public struct STAService {
    public let source: any STASource
    /// The service root as clients reach it (`https://city.example/sta/v1.1`): links are absolute.
    public let root: String
    public let now: Double

    /// The most observations one request may read to filter, order or count them.
    public static let scanLimit = 2_000_000

    /// Observations read so far by this request, nested expansions included.
    final class Budget: @unchecked Sendable { var scanned = 0 }
    let budget = Budget()

    public init(source: any STASource, root: String, now: Double) {
        (self.source, self.root, self.now) = (source, root, now)
    }

    public enum Answer {
        case json(JSONValue)
        /// A property's raw value (`$value`).
        case text(String)
        case notFound(String)
    }

    public func get(_ path: STAPath, _ options: STAQueryOptions, query: String) throws -> Answer {
        if options.dataArray {
            guard case let .entities(type, _, id, many)? = path.segments.last, type == .observation, id == nil, many else {
                throw STAQueryError("$resultFormat", "dataArray is for a set of Observations")
            }
        }
        if case let .entities(type, _, _, _)? = path.segments.last { try options.check(for: type) }
        var entity: STAEntity?
        var set: [STAEntity]?
        var setType: STAEntityType?
        var observationStreams: [STAID]??
        var link = root
        var parent: STAEntity?
        for segment in path.segments {
            switch segment {
            case let .entities(type, name, id, many):
                link += "/" + name + (id.map { "(\($0))" } ?? "")
                if let owner = entity {
                    if type == .observation, many {
                        observationStreams = .some(try source.observationStreams(of: owner))
                        if let id {
                            guard let one = try source.entity(.observation, id: id),
                                  let streams = observationStreams!, try belongs(one, to: streams) else { return .notFound(link) }
                            entity = one; set = nil
                        } else { entity = nil; set = nil; setType = .observation }
                        parent = owner
                        continue
                    }
                    let related = try source.related(owner, name)
                    if many, id == nil { entity = nil; set = related; setType = type; parent = owner; continue }
                    guard let one = id.map({ id in related.first { $0.id == id } }) ?? related.first else { return .notFound(link) }
                    entity = one; set = nil
                } else {
                    if let id {
                        guard let one = try source.entity(type, id: id) else { return .notFound(link) }
                        entity = one
                    } else {
                        setType = type
                        if type != .observation { set = try source.entities(type) } else { observationStreams = .some(nil) }
                    }
                }
            case let .property(name):
                guard let entity else { return .notFound(link) }
                let value = name == "id" ? Self.idJSON(entity.id) : entity[name] ?? .null
                if case .value = path.segments.last {
                    if case let .string(text) = value { return .text(text) }
                    return .text(value.serialized())
                }
                return .json(.object([(name == "id" ? "@iot.id" : name, value)]))
            case .value:
                continue
            case .ref:
                let type = setType ?? entity?.type ?? .thing
                let entities = try collection(type, set: set, streams: observationStreams, options: options, parent: parent).entities
                if entity != nil && set == nil && setType == nil, let entity {
                    return .json(.object([("@iot.selfLink", .string(selfLink(entity)))]))
                }
                return .json(.object([("value", .array(entities.map { .object([("@iot.selfLink", .string(selfLink($0)))]) }))]))
            }
        }
        if set != nil || setType != nil, let type = setType {
            let page = try collection(type, set: set, streams: observationStreams, options: options, parent: parent)
            if options.dataArray {
                return .json(try dataArray(page.entities, count: page.count, next: page.more ? nextLink(path: link, query: query, options: options) : nil))
            }
            var members: [(String, JSONValue)] = []
            if let count = page.count { members.append(("@iot.count", .integer(count))) }
            if page.more { members.append(("@iot.nextLink", .string(nextLink(path: link, query: query, options: options)))) }
            members.append(("value", .array(try page.entities.map { try render($0, options) })))
            return .json(.object(members))
        }
        guard let entity else { return .notFound(link) }
        return .json(try render(entity, options))
    }

    struct Page {
        var entities: [STAEntity]
        var count: Int?
        var more: Bool
    }

    func belongs(_ observation: STAEntity, to streams: [STAID]?) throws -> Bool {
        guard let streams else { return true }
        let own = try source.related(observation, "Datastream").map(\.id) + source.related(observation, "MultiDatastream").map(\.id)
        return own.contains { streams.contains($0) }
    }

    /// Filters, orders and pages a set; Observations are read from the store a window at a time.
    func collection(_ type: STAEntityType, set: [STAEntity]?, streams: [STAID]??, options: STAQueryOptions,
                    parent: STAEntity?) throws -> Page {
        let top = options.pageSize
        if type == .observation, set == nil {
            return try observationPage(streams: streams ?? nil, options: options, top: top)
        }
        var matched = try (set ?? []).filter { try passes($0, options.filter) }
        if !options.orderBy.isEmpty { try sort(&matched, options.orderBy) } else { matched.sort { Self.idOrder($0.id, $1.id) } }
        let page = Array(matched.dropFirst(options.skip).prefix(top))
        // `$top=0` asks for the count alone: there is no next page of nothing.
        return Page(entities: page, count: options.count ? matched.count : nil, more: top > 0 && options.skip + top < matched.count)
    }

    /// A page of observations. The store reads the filter's window in the stream's time order (or
    /// newest first for `$orderby=phenomenonTime desc` on one stream), and counts it itself when
    /// the window is the whole filter; only other orders read every match.
    func observationPage(streams: [STAID]?, options: STAQueryOptions, top: Int) throws -> Page {
        let window = STAObservationWindow(options.filter)
        let wanted = options.skip + top + 1
        var descending = false
        if options.orderBy.count == 1, case .member(["phenomenonTime"]) = options.orderBy[0].0, streams?.count == 1 {
            descending = options.orderBy[0].descending
        }
        let inStoreOrder = options.orderBy.isEmpty || (options.orderBy.count == 1 && streams?.count == 1
                                                       && options.orderBy[0].0 == .member(["phenomenonTime"]))
        let counted = options.count && window.exact ? try source.countObservations(datastreams: streams, window: window) : nil
        let streaming = inStoreOrder && (!options.count || counted != nil)
        var matched: [STAEntity] = []
        var after: STAEntity?
        while true {
            // When the store's window is the whole filter every row it gives matches: a page reads only what it shows.
            let limit = streaming && window.exact ? min(5000, wanted - matched.count) : 5000
            let chunk = try source.observations(datastreams: streams, window: window, after: after, limit: limit, descending: descending)
            budget.scanned += chunk.count
            for observation in chunk where try passes(observation, options.filter) { matched.append(observation) }
            if chunk.count < limit || (streaming && matched.count >= wanted) { break }
            guard budget.scanned < Self.scanLimit else {
                throw STAQueryError("$filter", "would read more than \(Self.scanLimit) observations; narrow it by phenomenonTime or page without $count and $orderby")
            }
            after = chunk.last
        }
        if !inStoreOrder { try sort(&matched, options.orderBy) }
        let page = Array(matched.dropFirst(options.skip).prefix(top))
        return Page(entities: page, count: options.count ? counted ?? matched.count : nil, more: top > 0 && matched.count > options.skip + top)
    }

    func passes(_ entity: STAEntity, _ filter: STAExpression?) throws -> Bool {
        guard let filter else { return true }
        return filter.matches(Subject(entity: entity, source: source), now: now)
    }

    func sort(_ entities: inout [STAEntity], _ keys: [(STAExpression, descending: Bool)]) throws {
        let values = entities.map { entity in keys.map { $0.0.evaluate(Subject(entity: entity, source: source), now: now) } }
        let order = entities.indices.sorted { a, b in
            for (index, key) in keys.enumerated() {
                let (x, y) = (values[a][index], values[b][index])
                // Nulls first ascending, as OData orders them.
                let c = x == .null ? (y == .null ? 0 : -1) : y == .null ? 1 : STAValue.compare(x, y) ?? 0
                if c != 0 { return key.descending ? c > 0 : c < 0 }
            }
            return Self.idOrder(entities[a].id, entities[b].id)
        }
        entities = order.map { entities[$0] }
    }

    /// Whole-number ids first, in order, then text ids.
    public static func idOrder(_ a: STAID, _ b: STAID) -> Bool {
        switch (a, b) {
        case let (.integer(x), .integer(y)): x < y
        case (.integer, .text): true
        case (.text, .integer): false
        case let (.text(x), .text(y)): x < y
        }
    }

    public static func idJSON(_ id: STAID) -> JSONValue {
        switch id { case let .integer(n): .integer(Int(n)); case let .text(s): .string(s) }
    }

    func selfLink(_ entity: STAEntity) -> String { "\(root)/\(entity.type.setName)(\(entity.id))" }

    /// An entity as JSON: `@iot.id`, `@iot.selfLink`, its (selected) properties, navigation links and expansions.
    func render(_ entity: STAEntity, _ options: STAQueryOptions) throws -> JSONValue {
        let selected = options.select.map(Set.init)
        func wants(_ name: String) -> Bool { selected?.contains(name) ?? true }
        var members: [(String, JSONValue)] = []
        if wants("id") { members.append(("@iot.id", Self.idJSON(entity.id))) }
        if selected == nil || wants("selfLink") || wants("@iot.selfLink") { members.append(("@iot.selfLink", .string(selfLink(entity)))) }
        for (name, value) in entity.properties where wants(name) { members.append((name, value)) }
        let expanded = Dictionary(options.expand.map { ($0.path[0], $0) }, uniquingKeysWith: { a, _ in a })
        for (name, target) in entity.type.navigation.sorted(by: { $0.key < $1.key }) {
            if let expansion = expanded[name] {
                if target.many {
                    let streams: [STAID]?? = target.type == .observation ? .some(try source.observationStreams(of: entity)) : nil
                    let set = target.type == .observation ? nil : try source.related(entity, name)
                    let page = try collection(target.type, set: set, streams: streams, options: expansion.options, parent: entity)
                    if let count = page.count { members.append(("\(name)@iot.count", .integer(count))) }
                    if page.more {
                        members.append(("\(name)@iot.nextLink", .string(nestedNextLink(entity, name, expansion.options))))
                    }
                    members.append((name, .array(try page.entities.map { try render($0, expansion.options) })))
                } else if let one = try source.related(entity, name).first {
                    members.append((name, try render(one, expansion.options)))
                }
            } else if selected == nil || wants(name) {
                members.append(("\(name)@iot.navigationLink", .string("\(selfLink(entity))/\(name)")))
            }
        }
        return .object(members)
    }

    /// The next page's absolute link: the same query with `$skip` moved on.
    func nextLink(path: String, query: String, options: STAQueryOptions) -> String {
        let kept = query.split(separator: "&").filter { part in
            let name = part.split(separator: "=", maxSplits: 1).first.map(String.init)?.replacingOccurrences(of: "%24", with: "$") ?? ""
            return name != "$skip" && name != "$top"
        }
        let next = ["$top=\(options.pageSize)", "$skip=\(options.skip + options.pageSize)"]
        return path + "?" + (kept.map(String.init) + next).joined(separator: "&")
    }

    /// An expanded set's next page: the related set with the expansion's own options (its
    /// filter, selection, order, count), `$skip` moved on.
    func nestedNextLink(_ entity: STAEntity, _ name: String, _ options: STAQueryOptions) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+#;")
        let kept = options.written.filter { $0.name != "$top" && $0.name != "$skip" }.map { option in
            option.name + "=" + (option.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? option.value)
        }
        let next = ["$top=\(options.pageSize)", "$skip=\(options.skip + options.pageSize)"]
        return "\(selfLink(entity))/\(name)?" + (kept + next).joined(separator: "&")
    }

    /// `$resultFormat=dataArray` (§14.3): observations grouped by datastream, as rows of components.
    func dataArray(_ observations: [STAEntity], count: Int?, next: String?) throws -> JSONValue {
        var groups: [(STAID, [STAEntity])] = []
        for observation in observations {
            let stream = try source.related(observation, "Datastream").first?.id ?? source.related(observation, "MultiDatastream").first?.id
            guard let stream else { continue }
            if let index = groups.firstIndex(where: { $0.0 == stream }) { groups[index].1.append(observation) } else { groups.append((stream, [observation])) }
        }
        let components = ["id", "phenomenonTime", "result", "resultTime"]
        var members: [(String, JSONValue)] = []
        if let count { members.append(("@iot.count", .integer(count))) }
        if let next { members.append(("@iot.nextLink", .string(next))) }
        members.append(("value", .array(groups.map { stream, rows in
            .object([("Datastream@iot.navigationLink", .string("\(root)/Datastreams(\(stream))")),
                     ("components", .array(components.map(JSONValue.string))),
                     ("dataArray@iot.count", .integer(rows.count)),
                     ("dataArray", .array(rows.map { row in .array([Self.idJSON(row.id), row["phenomenonTime"] ?? .null, row["result"] ?? .null,
                                                                    row["resultTime"] ?? .null]) }))])
        })))
        return .object(members)
    }

    /// An entity as a filter sees it: its properties, `id`, and through navigation its related ones'.
    struct Subject: STAFilterSubject {
        let entity: STAEntity
        let source: any STASource

        func value(at path: ArraySlice<String>) -> STAValue {
            guard let name = path.first else { return .null }
            if name == "id" { return path.count == 1 ? (entity.id.json) : .null }
            if let navigation = entity.type.navigation[name] {
                guard !navigation.many, let related = try? source.related(entity, name).first else { return .null }
                return Subject(entity: related, source: source).value(at: path.dropFirst())
            }
            guard var value = entity[name] else { return .null }
            for key in path.dropFirst() {
                guard case let .object(members) = value, let next = members.first(where: { $0.0 == key })?.1 else { return .null }
                value = next
            }
            return STAValue.from(value, asTime: path.count == 1 && STAEntityType.timeProperties.contains(name))
        }
    }
}

extension STAID {
    var json: STAValue {
        switch self { case let .integer(n): .number(Double(n)); case let .text(s): .string(s) }
    }
}
