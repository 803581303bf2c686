/// A climate plan: Helsinki's Carbon Neutral 2035 action plan, Hangzhou's peak plan. A city
/// may run several, and a district plan may name the city plan as its parent.
public struct Plan: Sendable, Hashable, Codable {
    public var identifier: String
    public var name: Multilingual
    public var parent: String?
    public var primaryLanguage: String
    /// The year the plan's targets are measured from, and the year it ends.
    public var baseYear: Int?
    public var targetYear: Int?
    public var settings: MonitoringSettings
    public var categoryTypes: [CategoryType]

    public init(identifier: String, name: Multilingual, parent: String? = nil, primaryLanguage: String = "en", baseYear: Int? = nil,
                targetYear: Int? = nil, settings: MonitoringSettings = MonitoringSettings(), categoryTypes: [CategoryType] = []) {
        self.identifier = identifier
        self.name = name
        self.parent = parent
        self.primaryLanguage = primaryLanguage
        self.baseYear = baseYear
        self.targetYear = targetYear
        self.settings = settings
        self.categoryTypes = categoryTypes
    }
}

/// How often a plan expects its actions to be updated, in days. Kausal Watch's defaults:
/// updated within 30 days is optimal, within 60 acceptable, after 180 stale.
public struct MonitoringSettings: Sendable, Hashable, Codable {
    public var optimalUpdateDays: Int
    public var acceptableUpdateDays: Int
    public var staleAfterDays: Int
    /// How far ahead a task must be due to count as "a task ahead" for monitoring quality.
    public var taskHorizonDays: Int

    public init(optimalUpdateDays: Int = 30, acceptableUpdateDays: Int = 60, staleAfterDays: Int = 180, taskHorizonDays: Int = 365) {
        self.optimalUpdateDays = optimalUpdateDays
        self.acceptableUpdateDays = acceptableUpdateDays
        self.staleAfterDays = staleAfterDays
        self.taskHorizonDays = taskHorizonDays
    }
}

/// A way of grouping actions: Helsinki's 8 areas are one type, with groups nested below.
public struct CategoryType: Sendable, Hashable, Codable {
    public var identifier: String
    public var name: Multilingual
    public var categories: [Category]

    public init(identifier: String, name: Multilingual, categories: [Category] = []) {
        self.identifier = identifier
        self.name = name
        self.categories = categories
    }

    /// `identifier` and every category below it.
    public func subtree(of identifier: String) -> Set<String> {
        var result: Set<String> = [identifier]
        var changed = true
        while changed {
            changed = false
            for category in categories where !result.contains(category.identifier) {
                if let parent = category.parent, result.contains(parent) { result.insert(category.identifier); changed = true }
            }
        }
        return result
    }
}

public struct Category: Sendable, Hashable, Codable {
    public var identifier: String
    public var name: Multilingual
    public var parent: String?
    public var order: Int

    public init(identifier: String, name: Multilingual, parent: String? = nil, order: Int = 0) {
        self.identifier = identifier
        self.name = name
        self.parent = parent
        self.order = order
    }
}
