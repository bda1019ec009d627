"""
Calls one operation of a gateway endpoint with Python zeep, as an integrator would: the client is
built from the endpoint's ?wsdl alone (every schema it reaches must come from the gateway: zeep
gets no network beyond it). zeep adds the WS-Addressing headers itself, as the WSDL's
wsaw:UsingAddressing asks.

stdin: JSON {"wsdl": url, "operation": name, "body": "<request element as XML>"}
The request element is read into zeep's object model with the WSDL's schema, and zeep writes
the message from that model. Parsing is lenient (strict=False), as zeep users of ebRIM need it
(see the zeep limitation in wsdl-clients.test.ts). stdout: JSON {"ok": true, "result": <response as plain data>} or
{"ok": false, "error": "<type>: <message>"}.
"""
import json
import sys

from lxml import etree
import requests
from zeep import Client, Settings
from zeep.helpers import serialize_object
from zeep.transports import Transport


class GatewayOnly(requests.Session):
    """Refuses every URL outside the gateway, so a schema fetched from elsewhere fails the test."""

    def __init__(self, base):
        super().__init__()
        self.base = base

    def request(self, method, url, *args, **kwargs):
        if not url.startswith(self.base):
            raise requests.ConnectionError(f"no network in this test: {url}")
        return super().request(method, url, *args, **kwargs)


def main():
    command = json.load(sys.stdin)
    wsdl = command["wsdl"]
    base = wsdl.split("/xds/")[0]
    transport = Transport(session=GatewayOnly(base))
    client = Client(wsdl, transport=transport, settings=Settings(strict=False))
    body = etree.fromstring(command["body"].encode("utf-8"))
    element = client.get_element(body.tag)
    value = element.parse(body, client.wsdl.types)
    arguments = {name: value[name] for name in value}
    result = client.service[command["operation"]](**arguments)
    print(json.dumps({"ok": True, "result": serialize_object(result, dict)}, default=str))


if __name__ == "__main__":
    try:
        main()
    except Exception as err:  # the test reads the failure from stdout
        print(json.dumps({"ok": False, "error": f"{type(err).__name__}: {err}"}))
