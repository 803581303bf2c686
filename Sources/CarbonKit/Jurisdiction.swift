/// Levels of the administrative tree an inventory rolls up through.
public enum JurisdictionLevel: String, Sendable, CaseIterable, Codable {
    case country, province, city, district, county, township, other
}

/// A place an inventory is kept for: a country, province, city or district.
public struct Jurisdiction: Sendable, Hashable, Codable {
    public var name: String
    public var level: JurisdictionLevel
    /// Name of the parent jurisdiction; nil for a root.
    public var parent: String?
    /// An official code (for example the GB/T 2260 administrative division code), if any.
    public var code: String?
    /// The organisation that answers for it (a district's government office), as the plan's
    /// actions name their responsible parties; its actions are the jurisdiction's actions.
    public var office: String?

    public init(name: String, level: JurisdictionLevel, parent: String? = nil, code: String? = nil, office: String? = nil) {
        self.name = name
        self.level = level
        self.parent = parent
        self.code = code
        self.office = office
    }
}

/// The tree of jurisdictions, by unique name: districts roll up to their city, cities to
/// their province.
public struct JurisdictionTree: Sendable {
    public private(set) var nodes: [String: Jurisdiction] = [:]
    /// Names in insertion order, so listings are stable.
    public private(set) var order: [String] = []

    public init() {}

    /// Builds a tree, refusing unknown parents, duplicate names and cycles.
    public init(_ jurisdictions: [Jurisdiction], file: String? = nil) throws(InputErrors) {
        var issues: [InputIssue] = []
        for (index, j) in jurisdictions.enumerated() {
            if nodes[j.name] != nil {
                issues.append(InputIssue(InputLocation(file: file, row: index + 2, field: "name"), value: j.name, reason: "is listed twice"))
                continue
            }
            nodes[j.name] = j
            order.append(j.name)
        }
        for (index, j) in jurisdictions.enumerated() {
            guard let parent = j.parent else { continue }
            if nodes[parent] == nil {
                issues.append(InputIssue(InputLocation(file: file, row: index + 2, field: "parent"), value: parent,
                                         reason: "is not a jurisdiction in this list",
                                         suggestion: Suggestion.didYouMean(parent, among: order)))
            }
        }
        if issues.isEmpty {
            for name in order {
                var seen: Set<String> = [name]
                var current = nodes[name]?.parent
                while let p = current {
                    if !seen.insert(p).inserted {
                        issues.append(InputIssue(InputLocation(file: file, field: "parent"), value: name, reason: "is its own ancestor (the parents form a cycle)"))
                        break
                    }
                    current = nodes[p]?.parent
                }
            }
        }
        if !issues.isEmpty { throw InputErrors(issues) }
    }

    public func contains(_ name: String) -> Bool { nodes[name] != nil }

    /// `name` and every jurisdiction above it, nearest first.
    public func lineage(of name: String) -> [String] {
        var result = [name]
        var current = nodes[name]?.parent
        while let p = current, !result.contains(p) {
            result.append(p)
            current = nodes[p]?.parent
        }
        return result
    }

    public var roots: [String] { order.filter { nodes[$0]?.parent == nil } }

    public func children(of name: String) -> [String] { order.filter { nodes[$0]?.parent == name } }

    /// Adds a root for a name the tree does not know yet.
    public mutating func addRoot(_ name: String, level: JurisdictionLevel = .city) {
        guard nodes[name] == nil else { return }
        nodes[name] = Jurisdiction(name: name, level: level)
        order.append(name)
    }
}
