// A small SMPP 3.4 SMSC for the sms package's tests, on npm smpp. It listens on 127.0.0.1 only,
// on a free port, and talks to the test as JSON lines: events on stdout, commands on stdin.
//
// Events:   {"event":"listening","port":N}  {"event":"bound","system_id":…}
//           {"event":"submit","id":…,"seq":…,"from":…,"to":…,"coding":…,"esm_class":…,"udh":[[…]],"text":…}
//           {"event":"throttled","seq":…}  {"event":"receipt_ack","id":…,"status":…}  {"event":"mo_ack","status":…}
// Commands: {"cmd":"throttle","n":N}   answer the next N submit_sm with ESME_RTHROTTLED
//           {"cmd":"mo","from":…,"to":…,"text":…}   send an inbound message (deliver_sm)
"use strict";

const smpp = require("smpp");
const readline = require("readline");

const SYSTEM_ID = process.env.SMSC_SYSTEM_ID || "antre";
const PASSWORD = process.env.SMSC_PASSWORD || "rahasia";

let throttle = 0;
let nextId = 1;
const sessions = new Set();

function emit(obj) {
  process.stdout.write(JSON.stringify(obj) + "\n");
}

function stamp(d) {
  const p = (n) => String(n).padStart(2, "0");
  return p(d.getUTCFullYear() % 100) + p(d.getUTCMonth() + 1) + p(d.getUTCDate()) + p(d.getUTCHours()) + p(d.getUTCMinutes());
}

const server = smpp.createServer((session) => {
  session.on("error", () => {});
  session.on("bind_transceiver", (pdu) => {
    if (pdu.system_id !== SYSTEM_ID || pdu.password !== PASSWORD) {
      session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL }));
      session.close();
      return;
    }
    session.send(pdu.response({ system_id: "testsmsc" }));
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
    emit({ event: "bound", system_id: pdu.system_id });
  });
  session.on("enquire_link", (pdu) => session.send(pdu.response()));
  session.on("unbind", (pdu) => {
    session.send(pdu.response());
    session.close();
  });
  session.on("submit_sm", (pdu) => {
    if (throttle > 0) {
      throttle--;
      session.send(pdu.response({ command_status: smpp.ESME_RTHROTTLED }));
      emit({ event: "throttled", seq: pdu.sequence_number });
      return;
    }
    const id = "m" + nextId++;
    session.send(pdu.response({ message_id: id }));
    const sm = pdu.short_message || {};
    emit({
      event: "submit", id, seq: pdu.sequence_number, from: pdu.source_addr, to: pdu.destination_addr,
      coding: pdu.data_coding, esm_class: pdu.esm_class,
      udh: (sm.udh || []).map((b) => Array.from(b)),
      text: Buffer.isBuffer(sm.message) ? sm.message.toString("hex") : sm.message,
    });
    if (pdu.registered_delivery & 1) {
      const now = stamp(new Date());
      setTimeout(() => {
        session.deliver_sm({
          source_addr: pdu.destination_addr, destination_addr: pdu.source_addr, esm_class: 4,
          short_message: `id:${id} sub:001 dlvrd:001 submit date:${now} done date:${now} stat:DELIVRD err:000 text:`,
          receipted_message_id: id, message_state: 2,
        }, (resp) => emit({ event: "receipt_ack", id, status: resp.command_status }));
      }, 20);
    }
  });
});

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const c = JSON.parse(line);
  if (c.cmd === "throttle") {
    throttle = c.n;
  } else if (c.cmd === "mo") {
    for (const s of sessions) {
      s.deliver_sm({
        source_addr_ton: 1, source_addr_npi: 1, source_addr: c.from, destination_addr: c.to,
        data_coding: 0, short_message: c.text,
      }, (resp) => emit({ event: "mo_ack", status: resp.command_status }));
    }
  }
}).on("close", () => process.exit(0));

server.listen(0, "127.0.0.1", () => emit({ event: "listening", port: server.address().port }));
