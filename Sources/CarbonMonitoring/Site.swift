/// A place whose energy is metered (SensorThings' Thing): a building, an enterprise's facility,
/// a residential community, a construction site, or a whole district's feeder.
public struct Site: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case building, facility, community, constructionSite = "construction_site", district
    }

    /// The key integrations use (`bldg-0042`), unique in the city.
    public var key: String
    public var name: String
    public var kind: Kind
    /// What the site is used for, so like is compared with like: `office`, `school`, `hotel`,
    /// `steel`, `residential`, `earthworks` … Free text; peer groups are kind + use.
    public var use: String
    /// The district (jurisdiction name) it lies in.
    public var jurisdiction: String
    /// The organisation that owns or operates it; its staff see its alerts.
    public var organisation: String
    /// GPC sub-sector its stationary energy belongs to (I.1 residential, I.2 commercial, I.3 industry …).
    public var gpcRef: String
    public var floorAreaM2: Double?
    /// Physical output over a year (tonnes of steel, m² built …) for intensity per unit of output.
    public var annualOutput: Double?
    public var outputUnit: String?

    public init(key: String, name: String, kind: Kind, use: String, jurisdiction: String, organisation: String, gpcRef: String,
                floorAreaM2: Double? = nil, annualOutput: Double? = nil, outputUnit: String? = nil) {
        (self.key, self.name, self.kind, self.use, self.jurisdiction, self.organisation, self.gpcRef) =
            (key, name, kind, use, jurisdiction, organisation, gpcRef)
        (self.floorAreaM2, self.annualOutput, self.outputUnit) = (floorAreaM2, annualOutput, outputUnit)
    }
}
