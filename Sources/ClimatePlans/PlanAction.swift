import CarbonKit

/// One measure of a plan, with who does it, when, at what cost, for what reduction, and how
/// its progress is watched.
public struct PlanAction: Sendable, Hashable, Codable {
    public var identifier: String
    public var name: Multilingual
    public var description: Multilingual
    /// Category identifiers, of any of the plan's category types.
    public var categories: [String]
    public var responsibleParties: [ResponsibleParty]
    public var contacts: [ContactPerson]
    public var status: ActionStatus
    public var phase: ImplementationPhase?
    public var startDate: Day?
    public var endDate: Day?
    public var tasks: [ActionTask]
    public var costs: [CostEntry]
    public var reductions: [ReductionEntry]
    public var coBenefits: [CoBenefit]
    /// What the action is expected to do to the air people breathe, for its health co-benefit.
    public var airEffect: AirEffect?
    public var indicators: [IndicatorLink]
    /// Identifiers of actions this one depends on.
    public var dependsOn: [String]
    /// The action this one was merged into, when its status is `merged`.
    public var mergedInto: String?
    /// The last day anyone updated the action: the basis of timeliness.
    public var updatedOn: Day?

    public init(identifier: String, name: Multilingual, description: Multilingual = Multilingual(), categories: [String] = [],
                responsibleParties: [ResponsibleParty] = [], contacts: [ContactPerson] = [], status: ActionStatus = .notStarted,
                phase: ImplementationPhase? = nil, startDate: Day? = nil, endDate: Day? = nil, tasks: [ActionTask] = [],
                costs: [CostEntry] = [], reductions: [ReductionEntry] = [], coBenefits: [CoBenefit] = [], indicators: [IndicatorLink] = [],
                dependsOn: [String] = [], mergedInto: String? = nil, updatedOn: Day? = nil) {
        self.identifier = identifier
        self.name = name
        self.description = description
        self.categories = categories
        self.responsibleParties = responsibleParties
        self.contacts = contacts
        self.status = status
        self.phase = phase
        self.startDate = startDate
        self.endDate = endDate
        self.tasks = tasks
        self.costs = costs
        self.reductions = reductions
        self.coBenefits = coBenefits
        self.indicators = indicators
        self.dependsOn = dependsOn
        self.mergedInto = mergedInto
        self.updatedOn = updatedOn
    }

    public var primaryOrganisation: String? { responsibleParties.first { $0.role == .primary }?.organisation }
}

public enum ActionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case notStarted = "not_started"
    case inProgress = "in_progress"
    case completed
    case late
    case cancelled
    case merged

    /// Whether the action still has work to do: only these can be late or stale.
    public var isActive: Bool { self == .notStarted || self == .inProgress || self == .late }
}

public enum ImplementationPhase: String, Sendable, Hashable, Codable, CaseIterable {
    case planning, implementation, completed
}

public struct ResponsibleParty: Sendable, Hashable, Codable {
    public enum Role: String, Sendable, Hashable, Codable { case primary, collaborator }
    public var organisation: String
    public var role: Role

    public init(organisation: String, role: Role) {
        self.organisation = organisation
        self.role = role
    }
}

public struct ContactPerson: Sendable, Hashable, Codable {
    public var name: String
    public var email: String?
    public var organisation: String?

    public init(name: String, email: String? = nil, organisation: String? = nil) {
        self.name = name
        self.email = email
        self.organisation = organisation
    }
}

public struct ActionTask: Sendable, Hashable, Codable {
    public var name: Multilingual
    public var dueDate: Day
    public var completedOn: Day?

    public init(name: Multilingual, dueDate: Day, completedOn: Day? = nil) {
        self.name = name
        self.dueDate = dueDate
        self.completedOn = completedOn
    }

    /// Due before `today` and not done.
    public func isOverdue(on today: Day) -> Bool { completedOn == nil && dueDate < today }
}

/// Money an action costs in one year.
public struct CostEntry: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable { case capital, operating }
    public var year: Int
    public var kind: Kind
    public var amount: Double
    /// ISO 4217: EUR, CNY …
    public var currency: String
    public var source: String?

    public init(year: Int, kind: Kind, amount: Double, currency: String, source: String? = nil) {
        self.year = year
        self.kind = kind
        self.amount = amount
        self.currency = currency
        self.source = source
    }
}

/// The emission reduction an action is expected to bring in one year, in tonnes CO2e.
public struct ReductionEntry: Sendable, Hashable, Codable {
    public var year: Int
    public var tonnesCO2e: Double
    public var method: String?
    public var source: String?

    public init(year: Int, tonnesCO2e: Double, method: String? = nil, source: String? = nil) {
        self.year = year
        self.tonnesCO2e = tonnesCO2e
        self.method = method
        self.source = source
    }
}

/// The change in air quality an action is expected to bring, as its own study states it: a fall
/// in a pollutant's annual mean concentration where people live (a low-emission zone's
/// modelled effect), or tonnes a year of primary PM2.5 no longer emitted, which the city's
/// intake fraction turns into a concentration. `district` nil is the whole city.
public struct AirEffect: Sendable, Hashable, Codable {
    public enum Pollutant: String, Sendable, Hashable, Codable, CaseIterable { case pm25, no2 }
    public var pollutant: Pollutant
    public var district: String?
    /// µg/m³ off the annual mean.
    public var concentrationReduction: Double?
    /// t a year of primary emissions avoided (PM2.5 only).
    public var emissionReductionTonnes: Double?
    public var source: String?

    public init(pollutant: Pollutant, district: String? = nil, concentrationReduction: Double? = nil,
                emissionReductionTonnes: Double? = nil, source: String? = nil) {
        (self.pollutant, self.district, self.concentrationReduction) = (pollutant, district, concentrationReduction)
        (self.emissionReductionTonnes, self.source) = (emissionReductionTonnes, source)
    }

    /// The largest change one action may state: no city's annual mean PM2.5 or NO₂ is above
    /// 100 µg/m³ for long, and no city emits 100,000 t of primary PM2.5 a year.
    public static let largestConcentrationReduction = 100.0
    public static let largestEmissionReductionTonnes = 100_000.0
}

public struct CoBenefit: Sendable, Hashable, Codable {
    public var kind: String
    public var description: Multilingual

    public init(kind: String, description: Multilingual = Multilingual()) {
        self.kind = kind
        self.description = description
    }
}

/// An indicator an action moves, and which way.
public struct IndicatorLink: Sendable, Hashable, Codable {
    public enum Effect: String, Sendable, Hashable, Codable { case increases, decreases }
    public var indicator: String
    public var effect: Effect
    /// Whether the indicator measures this action's own progress (not only its context).
    public var measuresProgress: Bool

    public init(indicator: String, effect: Effect, measuresProgress: Bool = true) {
        self.indicator = indicator
        self.effect = effect
        self.measuresProgress = measuresProgress
    }
}
