/*!
 * The rules and parameters below are taken from Microsoft Tools-for-Health-Data-Anonymization
 * (https://github.com/microsoft/Tools-for-Health-Data-Anonymization), under this licence:
 *
 * MIT License
 *
 * Copyright (c) Microsoft Corporation.
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy
 * of this software and associated documentation files (the "Software"), to deal
 * in the Software without restriction, including without limitation the rights
 * to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
 * copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in all
 * copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 * AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
 * OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
 * SOFTWARE
 */
/**
 * Built-in profile `hipaa-safe-harbor` for FHIR R4: the reference tool's HIPAA Safe Harbor
 * sample (`FHIR/src/Microsoft.Health.Fhir.Anonymizer.R4.CommandLineTool/configuration-sample.json`,
 * microsoft/Tools-for-Health-Data-Anonymization, MIT licence), rule for rule and in the same order,
 * with its path typos fixed (each marked `FIX:` below and listed in docs/fhir-profiles.md), and
 * with this project's additions (each marked `ADDED:`; they only remove or hash data the
 * reference sample leaves in the output; listed in docs/fhir-profiles.md).
 * Keys are empty on purpose: a fixed, published key would let anyone recompute the
 * hashes and date shifts. They are random per run unless the caller supplies them.
 * Generated once from the sample; edit by hand only to fix a rule, and say so in docs/fhir-profiles.md.
 * @module
 */
import type { FhirConfigSource } from './source.ts';

/** The R4 HIPAA Safe Harbor configuration, in the reference tool's file format. */
export const HIPAA_SAFE_HARBOR_R4: FhirConfigSource = {
  fhirVersion: 'R4',
  processingErrors: 'raise',
  fhirPathRules: [
    { path: "nodesByType('Extension')", method: 'redact' },
    { path: 'Organization.identifier', method: 'keep' },
    { path: 'Organization.telecom', method: 'keep' },
    { path: 'Organization.address', method: 'keep' },
    { path: 'OrganizationAffiliation.identifier', method: 'keep' },
    { path: 'OrganizationAffiliation.telecom', method: 'keep' },
    { path: "nodesByType('HumanName').use", method: 'keep' },
    { path: "nodesByType('Address').country", method: 'keep' },
    { path: "nodesByType('Address').state", method: 'keep' },
    { path: 'Resource.id', method: 'cryptoHash' },
    { path: "nodesByName('id')", method: 'redact' }, // ADDED: element ids (`_birthDate.id`, `name[0].id`); after Resource.id, which keeps resource ids hashed
    { path: "nodesByType('Meta').versionId", method: 'redact' }, // ADDED: may be opaque and encode the server's write time
    { path: "nodesByType('Meta').source", method: 'redact' }, // ADDED: source system URI, may name the request or the record
    { path: 'Bundle.entry.fullUrl', method: 'redact' },
    { path: 'Bundle.entry.request.url', method: 'redact' },
    { path: 'Bundle.entry.response.location', method: 'redact' },
    { path: 'Bundle.entry.request.ifNoneExist', method: 'redact' }, // ADDED: conditional-create query, usually `identifier=system|MRN`
    { path: 'Bundle.entry.request.ifMatch', method: 'redact' }, // ADDED: ETag (version id)
    { path: 'Bundle.entry.request.ifNoneMatch', method: 'redact' }, // ADDED: ETag (version id)
    { path: 'Bundle.link.url', method: 'redact' }, // ADDED: searchset links carry the search parameters (`name=`, `birthdate=`)
    { path: 'Bundle.entry.link.url', method: 'redact' }, // ADDED: as Bundle.link.url
    { path: 'OperationOutcome.issue.diagnostics', method: 'redact' }, // ADDED: free text that servers fill with the offending values
    { path: 'Parameters.parameter.value.ofType(string)', method: 'redact' }, // ADDED: operation inputs/outputs in free text (names, messages)
    { path: 'Parameters.parameter.value.ofType(markdown)', method: 'redact' }, // ADDED: as valueString
    { path: 'Parameters.parameter.repeat(part).value.ofType(string)', method: 'redact' }, // ADDED: the same in nested parts
    { path: 'Parameters.parameter.repeat(part).value.ofType(markdown)', method: 'redact' }, // ADDED: the same in nested parts
    { path: 'DocumentReference.description', method: 'redact' }, // ADDED: free text describing the document
    { path: 'DocumentManifest.description', method: 'redact' }, // ADDED: as DocumentReference.description
    { path: 'DocumentManifest.source', method: 'redact' }, // ADDED: URI of the source system, as meta.source
    { path: 'Composition.title', method: 'redact' }, // ADDED: document titles may name the patient
    { path: 'Composition.section.title', method: 'redact' }, // ADDED: as Composition.title
    { path: 'Device.url', method: 'redact' }, // ADDED: network address of the device (the reference redacts Endpoint.address)
    { path: 'MolecularSequence.repository.url', method: 'redact' }, // ADDED: address of this person's data set in an external repository
    { path: 'MolecularSequence.repository.datasetId', method: 'redact' }, // ADDED: ids of this person's data in an external repository (unique identifying numbers)
    { path: 'MolecularSequence.repository.variantsetId', method: 'redact' }, // ADDED: as datasetId
    { path: 'MolecularSequence.repository.readsetId', method: 'redact' }, // ADDED: as datasetId
    { path: 'PractitionerRole.notAvailable.description', method: 'redact' },
    { path: 'PractitionerRole.availabilityExceptions', method: 'redact' },
    { path: 'Group.name', method: 'redact' },
    { path: 'Group.characteristic.value', method: 'redact' },
    { path: 'HealthcareService.name', method: 'redact' },
    { path: 'HealthcareService.comment', method: 'redact' },
    { path: 'HealthcareService.availabilityExceptions', method: 'redact' },
    { path: 'HealthcareService.extraDetails', method: 'redact' },
    { path: 'HealthcareService.eligibility.comment', method: 'redact' },
    { path: 'HealthcareService.notAvailable.description', method: 'redact' }, // FIX: reference: `notAvaliable` (misspelt; the R4 element is `notAvailable`, so the rule matched nothing)
    { path: 'Endpoint.name', method: 'redact' },
    { path: 'Endpoint.address', method: 'redact' },
    { path: 'Location.name', method: 'redact' },
    { path: 'Location.alias', method: 'redact' },
    { path: 'Location.description', method: 'redact' },
    { path: 'Location.position', method: 'redact' },
    { path: 'Location.availabilityExceptions', method: 'redact' },
    { path: 'Substance.description', method: 'redact' },
    { path: 'Device.udiCarrier', method: 'redact' },
    { path: 'Device.distinctIdentifier', method: 'redact' },
    { path: 'Device.serialNumber', method: 'redact' },
    { path: 'Device.deviceName', method: 'redact' },
    { path: 'Task.description', method: 'redact' },
    { path: 'Task.input.value', method: 'redact' },
    { path: 'Task.output.value', method: 'redact' },
    { path: 'Appointment.description', method: 'redact' },
    { path: 'Appointment.comment', method: 'redact' },
    { path: 'Appointment.patientInstruction', method: 'redact' },
    { path: 'AppointmentResponse.comment', method: 'redact' },
    { path: 'Schedule.comment', method: 'redact' },
    { path: 'Slot.comment', method: 'redact' },
    { path: 'VerificationResult.attestation.sourceIdentityCertificate', method: 'redact' },
    { path: 'VerificationResult.attestation.proxyIdentityCertificate', method: 'redact' },
    { path: 'List.title', method: 'redact' },
    { path: 'Library.publisher', method: 'redact' },
    { path: 'Library.usage', method: 'redact' },
    { path: 'AllergyIntolerance.onset', method: 'redact' },
    { path: 'AllergyIntolerance.reaction.description', method: 'redact' },
    { path: 'AdverseEvent.suspectEntity.causality.productRelatedness', method: 'redact' },
    { path: 'Condition.onset', method: 'redact' },
    { path: 'Condition.abatement', method: 'redact' },
    { path: 'Procedure.performed', method: 'redact' },
    { path: 'FamilyMemberHistory.name', method: 'redact' },
    { path: 'FamilyMemberHistory.born', method: 'redact' },
    { path: 'FamilyMemberHistory.age', method: 'redact' },
    { path: 'FamilyMemberHistory.deceased', method: 'redact' },
    { path: 'FamilyMemberHistory.condition.onset as Age', method: 'perturb', span: 0.1, rangeType: 'proportional', roundTo: 0 },
    { path: 'FamilyMemberHistory.condition.onset', method: 'redact' },
    { path: 'ClinicalImpression.description', method: 'redact' },
    { path: 'ClinicalImpression.summary', method: 'redact' },
    { path: 'ClinicalImpression.finding.basis', method: 'redact' },
    { path: 'DetectedIssue.detail', method: 'redact' },
    { path: 'Observation.value', method: 'redact' },
    { path: 'Observation.referenceRange', method: 'redact' },
    { path: 'Observation.component.value', method: 'redact' },
    { path: 'Media.deviceName', method: 'redact' },
    { path: 'DiagnosticReport.media.comment', method: 'redact' },
    { path: 'DiagnosticReport.conclusion', method: 'redact' },
    { path: 'Specimen.processing.description', method: 'redact' },
    { path: 'Specimen.container.description', method: 'redact' },
    { path: 'BodyStructure.description', method: 'redact' },
    { path: 'ImagingStudy.description', method: 'redact' },
    { path: 'ImagingStudy.series.description', method: 'redact' },
    { path: 'ImagingStudy.series.instance.title', method: 'redact' },
    { path: 'ImagingStudy.series.uid', method: 'cryptoHash' }, // ADDED: DICOM Series Instance UID; hashed so links to the same series still match
    { path: 'ImagingStudy.series.instance.uid', method: 'cryptoHash' }, // ADDED: DICOM SOP Instance UID; hashed as above
    { path: 'QuestionnaireResponse.item.text', method: 'redact' },
    { path: 'QuestionnaireResponse.item.answer', method: 'redact' },
    { path: 'QuestionnaireResponse.item.item', method: 'redact' },
    { path: 'MedicationAdministration.dosage.text', method: 'redact' },
    { path: 'Immunization.occurrence', method: 'redact' },
    { path: 'ImmunizationEvaluation.description', method: 'redact' },
    { path: 'ImmunizationRecommendation.recommendation.description', method: 'redact' },
    { path: 'CarePlan.title', method: 'redact' },
    { path: 'CarePlan.description', method: 'redact' },
    { path: 'CarePlan.activity.detail.description', method: 'redact' },
    { path: 'CarePlan.activity.detail.scheduled', method: 'redact' },
    { path: 'CareTeam.name', method: 'redact' },
    { path: 'Goal.statusReason', method: 'redact' },
    { path: 'Goal.target.detail', method: 'redact' },
    { path: 'ServiceRequest.patientInstruction', method: 'redact' },
    { path: 'NutritionOrder.oralDiet.instruction', method: 'redact' },
    { path: 'NutritionOrder.supplement.instruction', method: 'redact' },
    { path: 'NutritionOrder.enteralFormula.administrationInstruction', method: 'redact' },
    { path: 'RiskAssessment.prediction.rationale', method: 'redact' },
    { path: 'RiskAssessment.mitigation', method: 'redact' },
    { path: 'RequestGroup.action.prefix', method: 'redact' },
    { path: 'RequestGroup.action.title', method: 'redact' },
    { path: 'RequestGroup.action.description', method: 'redact' },
    { path: 'RequestGroup.action.textEquivalent', method: 'redact' },
    { path: 'RequestGroup.action.timing', method: 'redact' },
    { path: 'RequestGroup.action.action', method: 'redact' },
    { path: 'Communication.payload', method: 'redact' },
    { path: 'CommunicationRequest.payload', method: 'redact' },
    { path: 'Coverage.subscriberId', method: 'redact' },
    { path: 'Coverage.dependent', method: 'redact' },
    { path: 'Coverage.class.value', method: 'redact' },
    { path: 'Coverage.class.name', method: 'redact' },
    { path: 'Coverage.network', method: 'redact' },
    { path: 'CoverageEligibilityRequest.insurance.businessArrangement', method: 'redact' },
    { path: 'CoverageEligibilityResponse.disposition', method: 'redact' },
    { path: 'CoverageEligibilityResponse.insurance.item.name', method: 'redact' },
    { path: 'CoverageEligibilityResponse.insurance.item.description', method: 'redact' },
    { path: 'CoverageEligibilityResponse.insurance.item.benefit.allowed', method: 'redact' },
    { path: 'CoverageEligibilityResponse.insurance.item.benefit.used', method: 'redact' },
    { path: 'CoverageEligibilityResponse.preAuthRef', method: 'redact' },
    { path: 'EnrollmentResponse.disposition', method: 'redact' },
    { path: 'Claim.supportingInfo.value', method: 'redact' },
    { path: 'Claim.insurance.businessArrangement', method: 'redact' },
    { path: 'Claim.insurance.preAuthRef', method: 'redact' },
    { path: 'ClaimResponse.disposition', method: 'redact' },
    { path: 'ClaimResponse.preAuthRef', method: 'redact' },
    { path: 'ClaimResponse.processNote.text', method: 'redact' },
    { path: 'ClaimResponse.insurance.businessArrangement', method: 'redact' },
    { path: 'Invoice.cancelledReason', method: 'redact' },
    { path: 'PaymentReconciliation.disposition', method: 'redact' },
    { path: 'PaymentReconciliation.processNote.text', method: 'redact' },
    { path: 'Account.name', method: 'redact' },
    { path: 'Account.description', method: 'redact' },
    { path: 'ChargeItem.overrideReason', method: 'redact' },
    { path: 'ChargeItemDefinition.title', method: 'redact' },
    { path: 'ChargeItemDefinition.publisher', method: 'redact' },
    { path: 'ChargeItemDefinition.applicability', method: 'redact' },
    { path: 'ChargeItemDefinition.propertyGroup.applicability', method: 'redact' },
    { path: 'Contract.name', method: 'redact' },
    { path: 'Contract.title', method: 'redact' },
    { path: 'Contract.subtitle', method: 'redact' },
    { path: 'Contract.alias', method: 'redact' },
    { path: 'Contract.term.text', method: 'redact' },
    { path: 'Contract.term.offer.answer.value', method: 'redact' },
    { path: 'Contract.term.offer.text', method: 'redact' },
    { path: 'Contract.term.offer.linkId', method: 'redact' },
    { path: 'Contract.term.asset.context.text', method: 'redact' },
    { path: 'Contract.term.asset.condition', method: 'redact' },
    { path: 'Contract.term.asset.text', method: 'redact' },
    { path: 'Contract.term.asset.linkId', method: 'redact' },
    { path: 'Contract.term.asset.answer', method: 'redact' },
    { path: 'Contract.term.asset.valuedItem.payment', method: 'redact' },
    { path: 'Contract.term.asset.valuedItem.linkId', method: 'redact' },
    { path: 'Contract.term.action.linkId', method: 'redact' },
    { path: 'Contract.term.action.contextLinkId', method: 'redact' },
    { path: 'Contract.term.action.requesterLinkId', method: 'redact' },
    { path: 'Contract.term.action.performerLinkId', method: 'redact' },
    { path: 'Contract.term.action.reason', method: 'redact' },
    { path: 'Contract.term.action.reasonLinkId', method: 'redact' },
    { path: 'Contract.term.group', method: 'redact' },
    { path: 'ExplanationOfBenefit.disposition', method: 'redact' },
    { path: 'ExplanationOfBenefit.preAuthRef', method: 'redact' },
    { path: 'ExplanationOfBenefit.supportingInfo.value', method: 'redact' },
    { path: 'ExplanationOfBenefit.insurance.preAuthRef', method: 'redact' },
    { path: 'ExplanationOfBenefit.accident.location', method: 'redact' },
    { path: 'ExplanationOfBenefit.item.location', method: 'redact' },
    { path: 'ExplanationOfBenefit.addItem.location', method: 'redact' },
    { path: 'ExplanationOfBenefit.processNote.text', method: 'redact' },
    { path: 'ExplanationOfBenefit.benefitBalance.name', method: 'redact' },
    { path: 'ExplanationOfBenefit.benefitBalance.description', method: 'redact' },
    { path: 'ExplanationOfBenefit.benefitBalance.financial.allowed', method: 'redact' },
    { path: 'InsurancePlan.name', method: 'redact' },
    { path: 'InsurancePlan.alias', method: 'redact' },
    { path: 'InsurancePlan.coverage.benefit.requirement', method: 'redact' },
    { path: 'InsurancePlan.plan.generalCost.comment', method: 'redact' },
    { path: "nodesByType('Dosage').text", method: 'redact' }, // ADDED: as in the reference's STU3 sample (missing from its R4 sample)
    { path: "nodesByType('Dosage').patientInstruction", method: 'redact' }, // ADDED: as in the reference's STU3 sample
    { path: "nodesByType('Expression').description", method: 'redact' },
    { path: "nodesByType('Expression').expression", method: 'redact' },
    { path: "nodesByType('Attachment').title", method: 'redact' },
    { path: "nodesByType('Attachment').url", method: 'redact' },
    { path: "nodesByType('CodeableConcept').text", method: 'redact' },
    { path: "nodesByType('Coding').display", method: 'redact' },
    { path: "nodesByType('Coding').code", method: 'redact' },
    { path: "nodesByType('ContactDetail').name", method: 'redact' },
    { path: "nodesByType('Identifier').value", method: 'redact' },
    { path: "nodesByType('Reference').display", method: 'redact' },
    { path: "nodesByType('Reference').reference", method: 'cryptoHash' },
    { path: "nodesByType('Narrative')", method: 'redact' },
    { path: "nodesByType('base64Binary')", method: 'redact' },
    { path: "nodesByType('date')", method: 'dateshift' },
    { path: "nodesByType('dateTime')", method: 'dateshift' },
    { path: "nodesByType('instant')", method: 'dateshift' },
    { path: "nodesByType('Address')", method: 'redact' },
    { path: "nodesByType('Age')", method: 'redact' },
    { path: "nodesByType('Annotation')", method: 'redact' },
    { path: "nodesByType('HumanName')", method: 'redact' },
    { path: "nodesByType('ContactPoint')", method: 'redact' },
  ],
  parameters: {
    dateShiftKey: '',
    dateShiftScope: 'resource',
    cryptoHashKey: '',
    encryptKey: '',
    enablePartialAgesForRedact: true,
    enablePartialDatesForRedact: true,
    enablePartialZipCodesForRedact: true,
    // ADDED: 063, 790, 830, 831, 890 — the union of the reference's 14 prefixes and the 17 that HHS lists from the
    // 2000 Census (HHS de-identification guidance, "When can ZIP codes be included…"); see docs/fhir-profiles.md.
    restrictedZipCodeTabulationAreas: ['036', '059', '063', '102', '203', '205', '369', '556', '692', '790', '821', '823', '830', '831', '878', '879', '884', '890', '893'],
  },
};
