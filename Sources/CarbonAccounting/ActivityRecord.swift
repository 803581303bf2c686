/// One row of activity data: how much of what was used (or emitted) where, in which year,
/// under which GPC reference, with its data quality and source.
///
/// A row is one of four kinds:
/// - a **fuel row**: `fuel`, `amount`, `unit`, factors from `factorSet`;
/// - an **explicit-factor row**: `amount` × the row's own `co2/ch4/n2oKgPerUnit`, and no library factor;
/// - a **gas row**: `amount` of `gas` emitted directly (a mass), for waste, IPPU or AFOLU results
///   calculated elsewhere;
/// - a **notation-key row**: no amount, a ``NotationKey`` saying why.
public struct ActivityRecord: Sendable, Hashable, Codable {
    public var year: Int
    public var jurisdiction: String
    public var gpcRef: String
    public var fuel: String?
    /// Selects among technology-specific factors (road gasoline catalysts, off-road engines).
    public var technology: String?
    public var amount: Double?
    public var unit: String?
    /// Empty for explicit-factor, gas and notation-key rows.
    public var factorSet: String?
    public var co2KgPerUnit: Double?
    public var ch4KgPerUnit: Double?
    public var n2oKgPerUnit: Double?
    public var gas: String?
    /// Grid loss rate L for a T&D row given as consumption: emissions = consumption × L/(1−L) × factor.
    public var tdLossRate: Double?
    public var notationKey: NotationKey?
    /// For IE: the reference whose emissions include this row's.
    public var ieRef: String?
    public var adQuality: DataQuality?
    public var efQuality: DataQuality?
    public var source: String?
    public var note: String?
    /// The row's line in the file it came from.
    public var line: Int?

    public init(year: Int, jurisdiction: String, gpcRef: String, fuel: String? = nil, technology: String? = nil,
                amount: Double? = nil, unit: String? = nil, factorSet: String? = nil,
                co2KgPerUnit: Double? = nil, ch4KgPerUnit: Double? = nil, n2oKgPerUnit: Double? = nil,
                gas: String? = nil, tdLossRate: Double? = nil, notationKey: NotationKey? = nil, ieRef: String? = nil,
                adQuality: DataQuality? = nil, efQuality: DataQuality? = nil, source: String? = nil, note: String? = nil, line: Int? = nil) {
        self.year = year
        self.jurisdiction = jurisdiction
        self.gpcRef = gpcRef
        self.fuel = fuel
        self.technology = technology
        self.amount = amount
        self.unit = unit
        self.factorSet = factorSet
        self.co2KgPerUnit = co2KgPerUnit
        self.ch4KgPerUnit = ch4KgPerUnit
        self.n2oKgPerUnit = n2oKgPerUnit
        self.gas = gas
        self.tdLossRate = tdLossRate
        self.notationKey = notationKey
        self.ieRef = ieRef
        self.adQuality = adQuality
        self.efQuality = efQuality
        self.source = source
        self.note = note
        self.line = line
    }

    public var hasExplicitFactors: Bool { co2KgPerUnit != nil || ch4KgPerUnit != nil || n2oKgPerUnit != nil }
}
