#!/usr/bin/env python3
"""Writes the demo city's three pathway scenarios (baseline, planned, ambitious) into the
store's demo resources. Every number here is a CityCarbon demo assumption for the fictional
demo city, labelled as such in the files; the Xiong'an scenario is written by hand from the seed.
Run from the repository root: python3 scripts/demo-pathways.py"""
import copy, json, os

ASSUME = "CityCarbon demo assumption (illustrative)"
OUT = "Sources/CityCarbonStore/Resources/demo"
SECTORS = [
    ("I.1", "Residential buildings", "居民建筑", "population", {"growth": -0.005}),
    ("I.2", "Commercial and institutional buildings", "商业和公共建筑", "gdp", {"growth": -0.02}),
    ("I.3", "Manufacturing and construction", "制造业和建筑业", "gdp", {"growth": -0.035}),
    ("I.5", "Agriculture, forestry and fishing", "农林渔业", "gdp", {"growth": -0.02}),
    ("II.1", "On-road transport", "道路交通", "population", {"growth": {"2024": 0.01, "2036": 0}}),
    ("II.2", "Railways", "铁路", "population", 1),
    ("II.3", "Waterborne navigation", "水运", "gdp", {"growth": -0.02}),
    ("II.4", "Aviation", "航空", "gdp", {"growth": -0.015}),
    ("III.1", "Solid waste disposal", "固体废弃物处置", "population", {"growth": -0.01}),
    ("III.3", "Incineration and open burning", "焚烧和露天燃烧", "population", 1),
    ("III.4", "Wastewater", "污水处理", "population", 1),
]
BASE = {
    "kind": "baseline",
    "jurisdiction": "Demo City",
    "base": {"year": 2023, "fromInventory": True, "level": "basic_plus"},
    "endYear": 2060,
    "sectors": [{"id": i, "name": {"en": en, "zh-Hans": zh}, "driver": d, "intensity": it} for i, en, zh, d, it in SECTORS],
    "drivers": {
        "population": {"all": {"growth": {"2024": 0.006, "2031": 0.003, "2041": 0.0, "2051": -0.002}}},
        "gdp": {"all": {"growth": {"2024": 0.05, "2031": 0.042, "2041": 0.03, "2051": 0.022}}},
    },
    "fuels": {"electricity": {"factor": {"values": {"2023": 0.5306, "2030": 0.50, "2040": 0.45, "2060": 0.40}},
                              "source": "2023: national average 0.5306 kg CO2/kWh (MEE/NBS); later years: " + ASSUME + ", the grid as today's policies leave it"}},
    "targets": [
        {"id": "peak-2030", "kind": "peak_by", "year": 2030, "name": {"en": "Peak before 2030", "zh-Hans": "2030年前碳达峰"}},
        {"id": "cut-2030", "kind": "reduction", "year": 2030, "baseYear": 2015, "percent": 20,
         "name": {"en": "2030 at least 20 % below 2015", "zh-Hans": "2030年比2015年下降至少20%"}, "source": "demo/targets.csv peak-2030 (BASIC+, as the target module reads it)"},
        {"id": "net-zero-2060", "kind": "net_zero_by", "year": 2060, "name": {"en": "Carbon neutral before 2060", "zh-Hans": "2060年前碳中和"}},
        {"id": "budget-2060", "kind": "budget", "year": 2060, "baseYear": 2023, "tonnes": 300000000,
         "name": {"en": "At most 300 Mt from 2023 to 2060", "zh-Hans": "2023–2060年累计不超过3亿吨"}, "source": ASSUME},
    ],
    "uncertainty": [
        {"input": "gdp_growth", "distribution": {"kind": "normal", "mean": 0, "sd": 0.008}, "source": ASSUME},
        {"input": "population_growth", "distribution": {"kind": "normal", "mean": 0, "sd": 0.002}, "source": ASSUME},
        {"input": "intensity", "distribution": {"kind": "normal", "mean": 0, "sd": 0.004}, "source": ASSUME},
        {"input": "fuel_factor:electricity", "distribution": {"kind": "triangular", "min": 0.6, "mode": 1, "max": 1.3}, "source": ASSUME},
    ],
    "monteCarlo": {"runs": 2000, "seed": 2030},
    "discountRate": 0.05,
    "measures": [],
}


def cost(capital, life, saving=None, opex=None):
    c = {"capital": capital, "lifetimeYears": life, "currency": "CNY", "source": ASSUME}
    if saving:
        c["savingsPerYear"] = saving
    if opex:
        c["operatingPerYear"] = opex
    return c


def plan_actions():
    """Helsinki plan actions whose expected reductions and costs the plan holds (demo/action-estimates.csv)."""
    scopes = {"18": ["II.1"], "22": ["II.1"], "54": ["I.2"], "48": ["I.1"], "68": ["I.1"], "47": ["I.1"]}
    return [{"id": f"helsinki-{a}", "kind": "action", "plan": "helsinki-2035", "action": a, "sectors": s} for a, s in scopes.items()]


def levers(scale=1.0, earlier=0):
    def ramp(start, full, shape="s_curve"):
        return {"start": start, "full": max(start + 1, full - earlier), "shape": shape}
    return plan_actions() + [
        {"id": "heat-pumps", "kind": "electrification", "name": {"en": "Heat pumps replace gas and LPG heating", "zh-Hans": "热泵替代燃气和液化气供暖"},
         "sectors": ["I.1", "I.2"], "from": ["natural_gas", "lpg"], "share": min(1, 0.5 * scale), "energyRatio": 0.35, "ramp": ramp(2025, 2040),
         "cost": cost(4.0e9 * scale, 20, 1.5e8 * scale)},
        {"id": "electric-vehicles", "kind": "electrification", "name": {"en": "Electric cars, buses and lorries", "zh-Hans": "电动汽车、公交和货车"},
         "sectors": ["II.1"], "from": ["motor_gasoline", "gas_diesel_oil"], "share": min(1, 0.7 * scale), "energyRatio": 0.3, "ramp": ramp(2024, 2040),
         "cost": cost(6.0e9 * scale, 12, 9.0e8 * scale)},
        {"id": "industry-efficiency", "kind": "efficiency", "name": {"en": "Industrial energy efficiency", "zh-Hans": "工业节能"},
         "sectors": ["I.3"], "reduction": min(0.9, 0.2 * scale), "ramp": ramp(2024, 2035, "linear"), "cost": cost(3.0e9 * scale, 15, 5.0e8 * scale)},
        {"id": "building-efficiency", "kind": "efficiency", "name": {"en": "Building retrofits", "zh-Hans": "既有建筑节能改造"},
         "sectors": ["I.1", "I.2"], "reduction": min(0.9, 0.15 * scale), "ramp": ramp(2024, 2035, "linear"), "cost": cost(8.0e9 * scale, 30, 2.0e8 * scale)},
        {"id": "green-power", "kind": "factor", "name": {"en": "Green power purchases and a cleaner provincial grid", "zh-Hans": "绿电交易与电网清洁化"},
         "fuels": ["electricity"], "reduction": min(0.95, 0.5 * scale), "ramp": ramp(2024, 2050, "linear"), "cost": cost(2.0e10 * scale, 25)},
        {"id": "rooftop-solar", "kind": "renewables", "name": {"en": "Rooftop solar", "zh-Hans": "屋顶光伏"},
         "share": min(0.9, 0.15 * scale), "ramp": ramp(2024, 2035), "cost": cost(5.0e9 * scale, 25, 4.0e8 * scale)},
        {"id": "waste-diversion", "kind": "demand", "name": {"en": "Less waste to landfill", "zh-Hans": "减少垃圾填埋"},
         "sectors": ["III.1"], "reduction": min(0.95, 0.5 * scale), "ramp": ramp(2024, 2035, "linear"), "cost": cost(1.5e9 * scale, 20, opex=5.0e7)},
    ]


FOREST = {"id": "urban-forest", "kind": "forest", "basis": "flux", "name": {"en": "Urban forest and green space", "zh-Hans": "城市森林与绿地"},
          "areaHectares": {"values": {"2023": 12000, "2040": 16000}}, "ratePerHectare": 5.5,
          "source": ASSUME + ": area from the greening plan, removal rate of a young temperate broadleaf stand"}
MEASURE_UNCERTAINTY = [
    {"input": "measure:electric-vehicles", "distribution": {"kind": "triangular", "min": 0.6, "mode": 1, "max": 1.1}, "source": ASSUME},
    {"input": "measure:heat-pumps", "distribution": {"kind": "triangular", "min": 0.5, "mode": 1, "max": 1.1}, "source": ASSUME},
    {"input": "measure:green-power", "distribution": {"kind": "triangular", "min": 0.6, "mode": 1, "max": 1.2}, "source": ASSUME},
    {"input": "sink:urban-forest", "distribution": {"kind": "triangular", "min": 0.7, "mode": 1, "max": 1.1}, "source": ASSUME},
]

baseline = copy.deepcopy(BASE)
baseline.update({"identifier": "demo-baseline", "name": {"en": "Demo City: business as usual", "zh-Hans": "示范城市：基准情景"},
                 "description": {"en": "Population, GDP and sector intensities as the city expects them, today's grid; no new measures.",
                                 "zh-Hans": "按预期的人口、经济和行业强度变化，现有电网；无新增措施。"}})
planned = copy.deepcopy(BASE)
planned.update({"identifier": "demo-planned", "kind": "planned", "name": {"en": "Demo City: the adopted plan", "zh-Hans": "示范城市：规划情景"},
                "description": {"en": "The baseline with the plan's actions (their expected reductions and costs read from the plan) and the levers of the climate plan, acting in the order listed.",
                                "zh-Hans": "在基准情景上叠加行动计划中的行动（预期减排和成本取自计划）及各项措施，按所列顺序作用。"},
                "measures": levers(), "sinks": [FOREST]})
planned["uncertainty"] += MEASURE_UNCERTAINTY
ambitious = copy.deepcopy(planned)
ambitious.update({"identifier": "demo-ambitious", "kind": "ambitious", "name": {"en": "Demo City: ambitious", "zh-Hans": "示范城市：强化情景"},
                  "description": {"en": "The plan's levers half as strong again and reaching full effect five years sooner, with offsets bought for what is left from 2045.",
                                  "zh-Hans": "各项措施力度提高一半、提前五年达到全部效果，2045年起购买抵消覆盖剩余排放。"},
                  "measures": levers(1.5, 5), "offsets": {"values": {"2044": 0, "2045": 1000000, "2050": 3000000, "2060": 4500000}}})
ambitious["targets"].append({"id": "net-zero-2050", "kind": "net_zero_by", "year": 2050, "name": {"en": "Carbon neutral by 2050", "zh-Hans": "2050年实现碳中和"}})

ORDER = ["identifier", "name", "kind", "jurisdiction", "description", "base", "endYear", "sectors", "drivers", "fuels", "measures",
         "sinks", "offsets", "targets", "uncertainty", "monteCarlo", "discountRate"]
for doc in (baseline, planned, ambitious):
    path = os.path.join(OUT, f"pathway-{doc['identifier']}.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({k: doc[k] for k in ORDER if k in doc}, ensure_ascii=False, indent=1) + "\n")
    print("wrote", path)
