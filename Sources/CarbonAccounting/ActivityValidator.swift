import CarbonKit
import Foundation

/// Activity rows that passed every check, with the factors each kind of row uses already
/// found: the input the inventory engine needs and nothing else.
public struct ValidatedActivities: Sendable {
    public let table: ActivityTable
    public let file: String?
    /// GPC taxonomy index for each interned reference.
    let refIndex: [Int32]
    /// Index into `combos` per row; -1 for notation-key rows.
    let rowCombo: [Int32]
    let combos: [ActivityCombo]
    public let years: [Int]

    public var count: Int { table.count }

    /// The factor set a row's numbers come from: the one it names, or the default for a fuel
    /// row that names none; nil for explicit-factor, gas and notation-key rows.
    public func factorSetName(row: Int) -> String? {
        let combo = rowCombo[row]
        return combo >= 0 ? combos[Int(combo)].factorSet : nil
    }

    /// The factor-set names of every kind of row, and which kind each row is (-1 for none):
    /// what a bulk writer binds without building a string per row.
    public var factorSetNamesByKind: (names: [String?], kindOfRow: [Int32]) { (combos.map(\.factorSet), rowCombo) }

    /// Factor sets the rows draw on, by name.
    public var factorSetsUsed: [String] {
        Array(Set(combos.compactMap(\.factorSet))).sorted()
    }
}

/// What every row of one kind shares: how its amount turns into gas masses.
struct ActivityCombo: Sendable {
    enum Kind: Sendable { case library, explicit, gas }
    let kind: Kind
    /// Library factors, or the gas of a gas row (kg per unit of the row's mass unit).
    let factors: [ResolvedFactors.GasFactor]
    /// Explicit rows: which gases their CO2 and CH4 columns are.
    let explicitCO2: Gas
    let explicitCH4: Gas
    let factorSet: String?
    let factorSources: [String]
    let defaultEFQuality: DataQuality?
}

/// The semantic pass over parsed activity rows: references, fuels, units, factor sets,
/// jurisdictions, scope rules, and notation keys that contradict reported amounts.
public struct ActivityValidator: Sendable {
    public let library: FactorLibrary
    public let jurisdictions: JurisdictionTree?
    /// The set that prices a row naming none (the city's setting), and fuels priced otherwise.
    public let defaultFactorSet: String
    public let factorSetByFuel: [String: String]

    public init(library: FactorLibrary = .standard, jurisdictions: JurisdictionTree? = nil,
                defaultFactorSet: String = FactorLibrary.defaultSetName, factorSetByFuel: [String: String] = [:]) {
        self.library = library
        self.jurisdictions = jurisdictions
        self.defaultFactorSet = defaultFactorSet
        self.factorSetByFuel = factorSetByFuel
    }

    private struct ComboKey: Hashable {
        var kind: UInt8
        var ref: Int32
        var fuel: Int32
        var technology: Int32
        var unit: Int32
        var factorSet: Int32
        var gas: Int32
    }

    public func validate(_ table: ActivityTable, file: String?, columns: [String]? = nil) throws(InputErrors) -> ValidatedActivities {
        let taxonomy = library.taxonomy
        var issues: [InputIssue] = []
        func location(_ row: Int, _ column: ActivityCSV.Column) -> InputLocation {
            let line = Int(table.rows[row].line)
            let number = columns?.firstIndex(of: column.rawValue).map { $0 + 1 }
            return InputLocation(file: file, row: line == 0 ? nil : line, column: number, field: column.rawValue)
        }

        // Per distinct value, once.
        let refIndex: [Int32] = table.refs.strings.map { taxonomy.index(of: $0).map(Int32.init) ?? -1 }
        let fuels: [Fuel?] = table.fuels.strings.map { library.fuels[$0] }
        let fuelKnown = fuels.map { $0 != nil }
        let units: [MeasureUnit?] = table.units.strings.map { library.units.unit($0) }
        let gases: [Result<Gas, GasError>] = table.gases.strings.map { key in Result { () throws(GasError) in try library.gases.gas(key) } }
        // Rows without a factor set use the default, or their fuel's: they take the ids after the interned names.
        let defaultNames = [defaultFactorSet] + Array(Set(factorSetByFuel.values).subtracting([defaultFactorSet])).sorted()
        let defaultSetID = Int32(table.factorSets.count)
        let setNames = table.factorSets.strings + defaultNames
        let sets: [Result<FactorSet, FactorLookupError>] = setNames.map { name in
            Result { () throws(FactorLookupError) in try library.set(named: name) }
        }
        let fuelDefaultSet: [Int32] = table.fuels.strings.map { fuel in
            factorSetByFuel[fuel].flatMap { name in defaultNames.firstIndex(of: name).map { Int32(table.factorSets.count + $0) } } ?? defaultSetID
        }
        let knownJurisdiction: [Bool] = table.jurisdictions.strings.map { jurisdictions?.contains($0) ?? true }

        var comboIndex: [ComboKey: Int32] = [:]
        // Packed keys for the common case of small pools; the dictionary takes the rest.
        var packedIndex = IntTable()
        let packable = table.fuels.count < 1 << 12 && table.technologies.count < 1 << 10 && table.units.count < 1 << 10
            && setNames.count < 1 << 12 && table.gases.count < 1 << 10
        var combos: [ActivityCombo] = []
        var problems: [FactorProblem] = []
        var rowCombo = [Int32](repeating: -1, count: table.count)
        var keyedCells: Set<CellKey> = []

        for row in 0..<table.count {
            let ref = table.rows[row].gpcRef
            let entryIndex = refIndex[Int(ref)]
            var ok = true
            if entryIndex < 0 {
                issues.append(taxonomy.unknownReferenceIssue(table.refs[ref], at: location(row, .gpcRef)))
                ok = false
            }
            let j = table.rows[row].jurisdiction
            if !knownJurisdiction[Int(j)] {
                let name = table.jurisdictions[j]
                issues.append(InputIssue(location(row, .jurisdiction), value: name, reason: "is not a jurisdiction of this city",
                                         suggestion: Suggestion.didYouMean(name, among: jurisdictions?.order ?? [])))
                ok = false
            }
            let ie = table.rows[row].ieRef
            if ie >= 0 {
                if refIndex[Int(ie)] < 0 {
                    issues.append(taxonomy.unknownReferenceIssue(table.refs[ie], at: location(row, .ieRef)))
                    ok = false
                } else if ie == ref {
                    issues.append(InputIssue(location(row, .ieRef), value: table.refs[ie], reason: "a row cannot be included in itself"))
                    ok = false
                }
            }
            guard ok else { continue }

            if table.rows[row].notationKey != 0 {
                keyedCells.insert(CellKey(year: table.rows[row].year, jurisdiction: j, ref: entryIndex))
                continue
            }

            // The kind of row decides what must be known about it.
            let fuelID = table.rows[row].fuel
            if fuelID >= 0, !fuelKnown[Int(fuelID)] {
                let name = table.fuels[fuelID]
                issues.append(InputIssue(location(row, .fuel), value: name, reason: "unknown fuel",
                                         suggestion: Suggestion.didYouMean(name, among: library.fuels.keys)))
                continue
            }
            let extras = table.extras(of: table.rows[row])
            let explicit = extras.hasFactors
            let gasID = table.rows[row].gas
            let unitID = table.rows[row].unit
            var key = ComboKey(kind: 0, ref: entryIndex, fuel: fuelID, technology: -1, unit: -1, factorSet: -1, gas: -1)
            if explicit {
                key.kind = 1
            } else if gasID >= 0 {
                key.kind = 2
                key.gas = gasID
                key.unit = unitID
                if case let .failure(error) = gases[Int(gasID)] {
                    issues.append(InputIssue(location(row, .gas), value: table.gases[gasID], reason: error.description))
                    continue
                }
                guard let unit = units[Int(unitID)], unit.dimension == .mass else {
                    let symbol = table.units[unitID]
                    issues.append(InputIssue(location(row, .unit), value: symbol, reason: "a gas row needs a mass unit (kg, t, Gg …)",
                                             suggestion: units[Int(unitID)] == nil ? Suggestion.didYouMean(symbol, among: library.units.symbols) : nil))
                    continue
                }
            } else {
                key.technology = table.rows[row].technology
                key.unit = unitID
                if units[Int(unitID)] == nil {
                    let symbol = table.units[unitID]
                    issues.append(InputIssue(location(row, .unit), value: symbol, reason: "unknown unit",
                                             suggestion: Suggestion.didYouMean(symbol, among: library.units.symbols)))
                    continue
                }
                var setID = table.rows[row].factorSet
                if setID < 0 { setID = fuelID >= 0 ? fuelDefaultSet[Int(fuelID)] : defaultSetID }
                if case let .failure(error) = sets[Int(setID)] {
                    issues.append(InputIssue(location(row, .factorSet), value: setNames[Int(setID)], reason: error.description))
                    continue
                }
                key.factorSet = setID
            }

            if !extras.tdLossRate.isNaN {
                let entry = taxonomy.entries[Int(entryIndex)]
                let carrier = fuelID >= 0 && (fuels[Int(fuelID)]?.isCarrier ?? false)
                if !(entry.isEnergy && entry.scope == 3 && carrier) {
                    issues.append(InputIssue(location(row, .tdLossRate), value: String(extras.tdLossRate),
                                             reason: "a loss rate goes only with electricity or heat in a T&D-loss row (I.x.3, II.x.3)"))
                    continue
                }
            }

            let comboID: Int32
            var packed: UInt64 = 0
            if packable {
                packed = UInt64(key.kind) | UInt64(UInt32(key.ref)) << 2 | UInt64(UInt32(key.fuel + 1)) << 8
                packed |= UInt64(UInt32(key.technology + 1)) << 20 | UInt64(UInt32(key.unit + 1)) << 30
                packed |= UInt64(UInt32(key.factorSet + 1)) << 40 | UInt64(UInt32(key.gas + 1)) << 52
            }
            if packable, let known = packedIndex.get(packed) {
                comboID = known
            } else if !packable, let known = comboIndex[key] {
                comboID = known
            } else {
                let entry = taxonomy.entries[Int(entryIndex)]
                switch makeCombo(key, entry: entry, fuel: fuelID >= 0 ? fuels[Int(fuelID)] : nil, table: table, units: units, gases: gases, sets: sets) {
                case let .success(combo):
                    comboID = Int32(combos.count)
                    combos.append(combo)
                case let .failure(problem):
                    comboID = -Int32(problems.count) - 1
                    problems.append(problem)
                }
                if packable { packedIndex.insert(packed, comboID) } else { comboIndex[key] = comboID }
            }
            if comboID < 0 {
                let problem = problems[Int(-comboID - 1)]
                let column: ActivityCSV.Column = switch problem.column {
                case .fuel: .fuel
                case .unit: .unit
                case .technology: .technology
                case .factorSet: .factorSet
                case .gpcRef: .gpcRef
                }
                let value: String? = switch problem.column {
                case .fuel: fuelID >= 0 ? table.fuels[fuelID] : nil
                case .unit: unitID >= 0 ? table.units[unitID] : nil
                case .technology: table.rows[row].technology >= 0 ? table.technologies[table.rows[row].technology] : nil
                case .factorSet: key.factorSet >= 0 ? setNames[Int(key.factorSet)] : nil
                case .gpcRef: taxonomy.entries[Int(entryIndex)].ref
                }
                issues.append(InputIssue(location(row, column), value: value, reason: problem.reason, suggestion: problem.suggestion))
                continue
            }
            rowCombo[row] = comboID
        }

        // A notation key says a row has no number; a number for the same row contradicts it.
        if !keyedCells.isEmpty {
            for row in 0..<table.count where rowCombo[row] >= 0 {
                let cell = CellKey(year: table.rows[row].year, jurisdiction: table.rows[row].jurisdiction, ref: refIndex[Int(table.rows[row].gpcRef)])
                if keyedCells.contains(cell) {
                    issues.append(InputIssue(location(row, .gpcRef), value: table.refs[table.rows[row].gpcRef],
                                             reason: "\(table.jurisdictions[cell.jurisdiction]) \(cell.year) has both an amount here and a notation key for this reference; keep one"))
                }
            }
        }

        if !issues.isEmpty {
            issues.sort { ($0.location.row ?? 0, $0.location.column ?? 0) < ($1.location.row ?? 0, $1.location.column ?? 0) }
            throw InputErrors(issues)
        }
        return ValidatedActivities(table: table, file: file, refIndex: refIndex, rowCombo: rowCombo, combos: combos, years: table.years)
    }

    private func makeCombo(_ key: ComboKey, entry: GPCEntry, fuel: Fuel?, table: ActivityTable, units: [MeasureUnit?],
                           gases: [Result<Gas, GasError>], sets: [Result<FactorSet, FactorLookupError>]) -> Result<ActivityCombo, FactorProblem> {
        // Scope rules: grid energy is electricity or heat; fuels burn in scope 1 (or outside, scope 3).
        if let fuel {
            if fuel.isCarrier, !(entry.isEnergy && entry.scope >= 2) {
                return .failure(FactorProblem(.gpcRef, "\(fuel.key) is reported in a scope-2 row (I.x.2, II.x.2) or as T&D losses (I.x.3), not in \(entry.ref)"))
            }
            if !fuel.isCarrier, entry.isGridEnergy || entry.isTransmissionLoss {
                return .failure(FactorProblem(.fuel, "\(entry.ref) is \(entry.sourceName.en.lowercased()): its fuel is electricity or heat, not \(fuel.key)",
                                              suggestion: "fuel burned in the city goes in scope 1, \(entry.subsector).1"))
            }
        }
        switch key.kind {
        case 1:
            let origin = fuel?.origin
            return .success(ActivityCombo(kind: .explicit, factors: [],
                                          explicitCO2: origin == .biogenic ? .co2Biogenic : .co2,
                                          explicitCH4: origin == .biogenic ? .ch4NonFossil : origin == .fossil ? .ch4Fossil : .ch4,
                                          factorSet: nil, factorSources: [], defaultEFQuality: nil))
        case 2:
            guard case let .success(gas) = gases[Int(key.gas)], let unit = units[Int(key.unit)] else {
                return .failure(FactorProblem(.unit, "a gas row needs a known gas and a mass unit"))
            }
            return .success(ActivityCombo(kind: .gas, factors: [.init(gas: gas, kgPerActivityUnit: unit.baseUnitsPerUnit, published: "direct")],
                                          explicitCO2: .co2, explicitCH4: .ch4, factorSet: nil, factorSources: [], defaultEFQuality: nil))
        default:
            guard let fuel, let unit = units[Int(key.unit)], case let .success(set) = sets[Int(key.factorSet)] else {
                return .failure(FactorProblem(.fuel, "a fuel row needs a known fuel, unit and factor set"))
            }
            let technology = key.technology >= 0 ? table.technologies[key.technology] : nil
            do {
                let resolved = try set.resolve(fuel: fuel, entry: entry, technology: technology, unit: unit,
                                               units: library.units, gases: library.gases)
                return .success(ActivityCombo(kind: .library, factors: resolved.gases, explicitCO2: .co2, explicitCH4: .ch4,
                                              factorSet: set.name, factorSources: resolved.sources, defaultEFQuality: resolved.defaultEFQuality))
            } catch {
                if error.column == .fuel, fuel.isCarrier {
                    return .failure(FactorProblem(.factorSet, "\(fuel.key) needs a grid series or a supplier factor set, not \(set.name)",
                                                  suggestion: "set factor_set to grid:<series>:<year>, e.g. grid:cn_national:2022, or give explicit factors"))
                }
                if error.column == .fuel {
                    let others = library.sets(having: fuel.key, except: set.name)
                    return .failure(FactorProblem(.factorSet, error.reason, suggestion: others.isEmpty ? nil : "factor sets that have it: \(others.joined(separator: ", "))"))
                }
                return .failure(error)
            }
        }
    }
}

/// One cell of the inventory grid: a year, a jurisdiction and a GPC reference.
struct CellKey: Hashable, Sendable {
    var year: Int32
    var jurisdiction: Int32
    var ref: Int32
}
