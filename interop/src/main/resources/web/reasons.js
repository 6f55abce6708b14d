// Reason codes (docs/reason-codes.md) and verdict reasons in plain words, for the pages. Shared by both pages.
"use strict";

const REASON_WORDS = {
  confirmed: "You have a confirmed infection.",
  asymptomatic: "You have an asymptomatic infection.",
  positive_test: "One of your tests was positive.",
  suspected: "A doctor recorded you as a suspected case.",
  pooled_positive: "A pooled test tube you were sampled into was positive.",
  close_contact: "You were a close contact of a case.",
  contact_of_contact: "You were in contact with a close contact of a case.",
  inbound: "You recently entered the country.",
  high_risk_area: "You stayed in a high-risk area.",
  medium_risk_area: "You stayed in a medium-risk area.",
  companion: "Your phone was near a case's phone for a while (spatio-temporal companion).",
  venue_co_visit: "You visited a place at the same time as a case.",
  same_vehicle: "You travelled close to a case (same flight rows, carriage or bus).",
  same_vehicle_rest: "You travelled on the same flight or train as a case.",
  fever_clinic: "You visited a fever clinic.",
  declared_fever: "You declared a fever.",
  missed_test: "You missed a required test.",
  override: "An official review set your colour."
};

const SYMPTOM_WORDS = {
  fever: "fever",
  cough: "cough",
  sore_throat: "sore throat",
  fatigue: "fatigue",
  shortness_of_breath: "shortness of breath",
  loss_of_smell_or_taste: "loss of smell or taste",
  muscle_ache: "muscle ache",
  diarrhoea: "diarrhoea"
};

const COLOUR_WORDS = { green: "Green", yellow: "Yellow", red: "Red" };

const VERDICT_WORDS = {
  valid: "The code is genuine and current.",
  expired: "The code has expired: ask for a fresh code.",
  not_yet_valid: "The code is dated in the future: check the clocks.",
  bad_signature: "The signature does not match: the code was altered or forged.",
  unknown_key: "The code was signed with a key this checkpoint does not know.",
  malformed: "This is not a readable health code.",
  unsupported_version: "The code format version is not supported.",
  wrong_key_usage: "The key that signed the code may not sign such codes.",
  trust_list_expired: "The checkpoint's trust list is out of date."
};

function reasonInWords(code) {
  return REASON_WORDS[code] || ("Reason: " + code);
}

function symptomInWords(code) {
  return SYMPTOM_WORDS[code] || code;
}

function colourInWords(colour) {
  return COLOUR_WORDS[colour] || colour;
}

function verdictInWords(result) {
  return VERDICT_WORDS[result] || result;
}
