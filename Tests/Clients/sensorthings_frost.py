"""The SensorThings API through FROST's own Python client (frost-sta-client from PyPI), as a
partner's integration would use it: every entity set paged to its end by @iot.nextLink, a
filtered and an expanded query, navigation from a Datastream to its Observations, and a meter's
and an air sensor's Observation created and read back from the Location the server answered,
then a Thing updated (the client's PUT) and patched (RFC 6902), and an Observation deleted.

usage: sensorthings_frost.py --base http://127.0.0.1:8181 --key cck_...
"""
import argparse
import datetime
import logging
import sys

import frost_sta_client as fsc
import requests
from frost_sta_client.service.auth_handler import AuthHandler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--key", required=True)
    args = parser.parse_args()
    root = args.base.rstrip("/") + "/sta/v1.1"
    service = fsc.SensorThingsService(root, auth_handler=AuthHandler("ci", args.key))
    raw = requests.Session()
    raw.auth = ("ci", args.key)

    def counted(path, **params):
        response = raw.get(f"{root}/{path}", params={"$count": "true", "$top": "1", **params})
        response.raise_for_status()
        return response.json()["@iot.count"]

    sets = {
        "Things": service.things(), "Locations": service.locations(), "HistoricalLocations": service.historical_locations(),
        "Datastreams": service.datastreams(), "MultiDatastreams": service.multi_datastreams(), "Sensors": service.sensors(),
        "ObservedProperties": service.observed_properties(), "FeaturesOfInterest": service.features_of_interest(),
    }
    for name, dao in sets.items():
        # Small pages, so the client must follow nextLink several times.
        ids = [entity.id for entity in dao.query().top(7).list()]
        expected = counted(name)
        assert len(ids) == expected and len(set(ids)) == len(ids), f"{name}: paged {len(ids)} ({len(set(ids))} distinct), server counts {expected}"
        print(f"frost: {name} paged to the end: {len(ids)}")
    assert counted("Things") > 0 and counted("Datastreams") > 0

    # One air datastream's observations of the last day, filtered by time and result, through navigation.
    streams = list(service.datastreams().query().filter("properties/parameter eq 'pm25'").top(100).list())
    assert streams, "no pm25 datastream"
    stream = streams[0]
    since = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:00:00Z")
    condition = f"phenomenonTime ge {since} and result ge 0"
    observations = list(stream.get_observations().query().filter(condition).top(5).list())
    expected = counted(f"Datastreams('{stream.id}')/Observations", **{"$filter": condition})
    assert len(observations) == expected and expected > 0, f"{len(observations)} observations, server counts {expected}"
    assert all(o.result >= 0 for o in observations)
    print(f"frost: {stream.id} has {len(observations)} observations since {since}")

    # Things with their Datastreams expanded.
    things = list(service.things().query().expand("Datastreams($top=2)").top(20).list())
    assert any(thing.datastreams for thing in things), "no expanded Datastreams"
    found = service.things().find(things[0].id)
    assert found.name == things[0].name

    # An Observation created on a meter's Datastream, and read back where the Location header points.
    meters = [d for d in service.datastreams().query().top(1000).list() if isinstance(d.id, int)]
    if meters:
        meter = meters[0]
        # The next reading after the meter's last one, a step of its interval later.
        body = raw.get(f"{root}/Datastreams({meter.id})").json()
        last = datetime.datetime.fromisoformat(body["phenomenonTime"].split("/")[1].replace("Z", "+00:00"))
        when = last + datetime.timedelta(seconds=body["properties"]["interval_s"])
        created = fsc.Observation(result=42.5, phenomenon_time=when.strftime("%Y-%m-%dT%H:%M:%SZ"), datastream=meter)
        service.create(created)
        back = service.observations().find(created.id)
        assert back.result == 42.5, back.result
        print(f"frost: created and read back Observation {created.id}")
    # An air sensor's hour, sent to its text-id Datastream: stored raw beside the checked value.
    hour = datetime.datetime.now(datetime.timezone.utc).replace(minute=0, second=0, microsecond=0)
    air = fsc.Observation(result=12.5, phenomenon_time=hour.strftime("%Y-%m-%dT%H:%M:%SZ"), datastream=stream)
    service.create(air)
    back = service.observations().find(air.id)
    assert back.parameters["raw"] == 12.5, back.parameters
    print(f"frost: created and read back air Observation {air.id}")

    # The client's update (a PUT of the whole entity) and patch (RFC 6902), then its delete.
    sensor = next(t for t in service.things().query().top(1000).list() if isinstance(t.id, str))
    name = sensor.name
    sensor.name = name + " (renamed)"
    service.update(sensor)
    assert service.things().find(sensor.id).name == name + " (renamed)"
    service.patch(sensor, [{"op": "replace", "path": "/name", "value": name}])
    assert service.things().find(sensor.id).name == name
    print(f"frost: updated and patched Thing {sensor.id}")
    service.delete(back)
    # The client logs every error it raises; this 404 is the one expected.
    logging.disable(logging.ERROR)
    try:
        service.observations().find(back.id)
        raise AssertionError(f"Observation {back.id} is still there after its delete")
    except requests.exceptions.HTTPError as error:
        assert error.response.status_code == 404, error
    finally:
        logging.disable(logging.NOTSET)
    print(f"frost: deleted Observation {back.id}")
    print("frost: the SensorThings API passes FROST's client")


if __name__ == "__main__":
    sys.exit(main())
