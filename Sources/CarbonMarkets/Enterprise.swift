import CarbonKit

/// A key emitter as the registry knows it: who it is, where, in which industry, whether it
/// discloses first (listed and state-owned), and what emits.
public struct Enterprise: Sendable, Equatable {
    public var creditCode: String
    public var name: String
    /// GB/T 4754-2017 industry class, four digits.
    public var industry: String
    public var jurisdiction: String
    public var listed: Bool
    public var stateOwned: Bool
    /// Discloses by choice, though neither listed nor state-owned.
    public var disclosesVoluntarily: Bool
    public var facilities: [Facility]

    public init(creditCode: String, name: String, industry: String, jurisdiction: String, listed: Bool = false, stateOwned: Bool = false,
                disclosesVoluntarily: Bool = false, facilities: [Facility] = []) {
        (self.creditCode, self.name, self.industry, self.jurisdiction) = (creditCode, name, industry, jurisdiction)
        (self.listed, self.stateOwned, self.disclosesVoluntarily, self.facilities) = (listed, stateOwned, disclosesVoluntarily, facilities)
    }

    /// Whether its verified emissions, grade and compliance are public: listed and state-owned
    /// enterprises must disclose (and do so first); any other may choose to.
    public var discloses: Bool { mustDisclose || disclosesVoluntarily }
    public var mustDisclose: Bool { listed || stateOwned }
}

/// A site of an enterprise: a plant or unit, optionally a monitoring site whose meters measure it.
public struct Facility: Sendable, Equatable {
    public var key: String
    public var name: String
    public var monitoringSite: String?
    public var sources: [EmissionSource]
    /// The benchmark class a power unit is allocated under; nil for a facility the power benchmarks do not cover.
    public var unitClass: PowerAllocation.UnitClass?
    public var cooling: PowerAllocation.Cooling

    public init(key: String, name: String, monitoringSite: String? = nil, sources: [EmissionSource] = [],
                unitClass: PowerAllocation.UnitClass? = nil, cooling: PowerAllocation.Cooling = .water) {
        (self.key, self.name, self.monitoringSite, self.sources) = (key, name, monitoringSite, sources)
        (self.unitClass, self.cooling) = (unitClass, cooling)
    }
}

/// One emission source of a facility: fuel burned, a process, or electricity or heat bought.
public struct EmissionSource: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case combustion, process
        case purchasedElectricity = "purchased_electricity"
        case purchasedHeat = "purchased_heat"
    }

    public var key: String
    public var kind: Kind
    /// The fuel or material, as the factor library names it (`raw_coal`, `natural_gas`); nil for bought electricity and heat.
    public var fuel: String?
    /// Datastreams (meters) that measure it.
    public var datastreams: [String]

    public init(key: String, kind: Kind, fuel: String? = nil, datastreams: [String] = []) {
        (self.key, self.kind, self.fuel, self.datastreams) = (key, kind, fuel, datastreams)
    }
}
