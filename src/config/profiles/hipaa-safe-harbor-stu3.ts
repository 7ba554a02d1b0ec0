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
 * Built-in profile `hipaa-safe-harbor` for FHIR STU3: the reference tool's HIPAA Safe Harbor
 * sample (`FHIR/src/Microsoft.Health.Fhir.Anonymizer.Stu3.CommandLineTool/configuration-sample.json`,
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

/** The STU3 HIPAA Safe Harbor configuration, in the reference tool's file format. */
export const HIPAA_SAFE_HARBOR_STU3: FhirConfigSource = {
  fhirVersion: 'Stu3',
  processingErrors: 'raise',
  fhirPathRules: [
    { path: "nodesByType('Extension')", method: 'redact' },
    { path: 'Organization.identifier', method: 'keep' },
    { path: 'Organization.telecom', method: 'keep' },
    { path: 'Organization.address', method: 'keep' },
    { path: "nodesByType('HumanName').use", method: 'keep' },
    { path: "nodesByType('Address').country", method: 'keep' },
    { path: "nodesByType('Address').state", method: 'keep' },
    { path: 'Patient.animal', method: 'keep' },
    { path: 'Resource.id', method: 'cryptoHash' },
    { path: "nodesByName('id')", method: 'redact' }, // ADDED: element ids (`_birthDate.id`, `name[0].id`); after Resource.id, which keeps resource ids hashed
    { path: "nodesByType('Meta').versionId", method: 'redact' }, // ADDED: may be opaque and encode the server's write time
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
    { path: 'Sequence.repository.url', method: 'redact' }, // ADDED: address of this person's data set in an external repository
    { path: 'Sequence.repository.datasetId', method: 'redact' }, // ADDED: ids of this person's data in an external repository (unique identifying numbers)
    { path: 'Sequence.repository.variantsetId', method: 'redact' }, // ADDED: as datasetId
    { path: 'Sequence.repository.readsetId', method: 'redact' }, // ADDED: as datasetId
    { path: 'PractitionerRole.notAvailable.description', method: 'redact' },
    { path: 'PractitionerRole.availabilityExceptions', method: 'redact' },
    { path: 'Group.name', method: 'redact' },
    { path: 'Group.characteristic.value', method: 'redact' },
    { path: 'HealthcareService.name', method: 'redact' },
    { path: 'HealthcareService.comment', method: 'redact' },
    { path: 'HealthcareService.extraDetails', method: 'redact' },
    { path: 'HealthcareService.eligibilityNote', method: 'redact' },
    { path: 'HealthcareService.programName', method: 'redact' },
    { path: 'HealthcareService.availabilityExceptions', method: 'redact' },
    { path: 'HealthcareService.notAvailable.description', method: 'redact' }, // FIX: reference: `notAvaliable` (misspelt; the STU3 element is `notAvailable`, so the rule matched nothing)
    { path: 'Endpoint.name', method: 'redact' },
    { path: 'Endpoint.address', method: 'redact' },
    { path: 'Location.name', method: 'redact' },
    { path: 'Location.alias', method: 'redact' },
    { path: 'Location.description', method: 'redact' },
    { path: 'Location.position', method: 'redact' },
    { path: 'Substance.description', method: 'redact' },
    { path: 'Device.udi', method: 'redact' },
    { path: 'DeviceComponent.productionSpecification.productionSpec', method: 'redact' }, // FIX: reference: `ProductionSpecification` (element names are case-sensitive; the rule matched nothing)
    { path: 'Task.description', method: 'redact' },
    { path: 'Task.input.value', method: 'redact' },
    { path: 'Task.output.value', method: 'redact' },
    { path: 'Appointment.description', method: 'redact' },
    { path: 'Appointment.comment', method: 'redact' },
    { path: 'AppointmentResponse.comment', method: 'redact' },
    { path: 'Schedule.comment', method: 'redact' },
    { path: 'Slot.comment', method: 'redact' },
    { path: 'ProcessRequest.reference', method: 'redact' },
    { path: 'ProcessResponse.disposition', method: 'redact' },
    { path: 'ProcessResponse.processNote.text', method: 'redact' },
    { path: 'List.title', method: 'redact' },
    { path: 'Library.publisher', method: 'redact' },
    { path: 'Library.usage', method: 'redact' },
    { path: 'AllergyIntolerance.onset', method: 'redact' },
    { path: 'AllergyIntolerance.reaction.description', method: 'redact' },
    { path: 'AdverseEvent.description', method: 'redact' },
    { path: 'AdverseEvent.suspectEntity.causalityProductRelatedness', method: 'redact' },
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
    { path: 'Observation.comment', method: 'redact' },
    { path: 'DiagnosticReport.image.comment', method: 'redact' },
    { path: 'DiagnosticReport.conclusion', method: 'redact' },
    { path: 'Specimen.processing.description', method: 'redact' },
    { path: 'Specimen.container.description', method: 'redact' },
    { path: 'BodySite.description', method: 'redact' },
    { path: 'ImagingStudy.description', method: 'redact' },
    { path: 'ImagingStudy.series.description', method: 'redact' },
    { path: 'ImagingStudy.series.instance.title', method: 'redact' },
    { path: 'ImagingStudy.uid', method: 'cryptoHash' }, // ADDED: DICOM Study Instance UID; hashed so links to the same study still match
    { path: 'ImagingStudy.series.uid', method: 'cryptoHash' }, // ADDED: DICOM Series Instance UID; hashed as above
    { path: 'ImagingStudy.series.instance.uid', method: 'cryptoHash' }, // ADDED: DICOM SOP Instance UID; hashed as above
    { path: 'ImagingManifest.description', method: 'redact' },
    { path: 'ImagingManifest.study.uid', method: 'cryptoHash' }, // ADDED: DICOM UIDs, hashed as in ImagingStudy so links still match
    { path: 'ImagingManifest.study.series.uid', method: 'cryptoHash' }, // ADDED: as ImagingManifest.study.uid
    { path: 'ImagingManifest.study.series.instance.uid', method: 'cryptoHash' }, // ADDED: as ImagingManifest.study.uid
    { path: 'QuestionnaireResponse.item.text', method: 'redact' },
    { path: 'QuestionnaireResponse.item.answer', method: 'redact' },
    { path: 'QuestionnaireResponse.item.item', method: 'redact' },
    { path: 'MedicationAdministration.dosage.text', method: 'redact' },
    { path: 'Immunization.vaccinationProtocol.description', method: 'redact' },
    { path: 'ImmunizationRecommendation.recommendation.protocol.description', method: 'redact' },
    { path: 'CarePlan.title', method: 'redact' },
    { path: 'CarePlan.description', method: 'redact' },
    { path: 'CarePlan.activity.detail.description', method: 'redact' },
    { path: 'CarePlan.activity.detail.scheduled', method: 'redact' },
    { path: 'CarePlan.activity.detail.statusReason', method: 'redact' },
    { path: 'CareTeam.name', method: 'redact' },
    { path: 'Goal.statusReason', method: 'redact' },
    { path: 'ReferralRequest.description', method: 'redact' },
    { path: 'NutritionOrder.oralDiet.instruction', method: 'redact' },
    { path: 'NutritionOrder.supplement.instruction', method: 'redact' },
    { path: 'NutritionOrder.enteralFormula.administrationInstruction', method: 'redact' },
    { path: 'RiskAssessment.prediction.rationale', method: 'redact' },
    { path: 'RiskAssessment.mitigation', method: 'redact' },
    { path: 'RiskAssessment.comment', method: 'redact' },
    { path: 'RequestGroup.action.title', method: 'redact' },
    { path: 'RequestGroup.action.label', method: 'redact' },
    { path: 'RequestGroup.action.description', method: 'redact' },
    { path: 'RequestGroup.action.textEquivalent', method: 'redact' },
    { path: 'RequestGroup.action.condition', method: 'redact' },
    { path: 'RequestGroup.action.action', method: 'redact' },
    { path: 'Communication.payload', method: 'redact' },
    { path: 'CommunicationRequest.payload', method: 'redact' },
    { path: 'Coverage.subscriberId', method: 'redact' },
    { path: 'Coverage.dependent', method: 'redact' },
    { path: 'Coverage.network', method: 'redact' },
    { path: 'Coverage.grouping', method: 'redact' },
    { path: 'EligibilityRequest.businessArrangement', method: 'redact' },
    { path: 'EligibilityResponse.disposition', method: 'redact' },
    { path: 'EligibilityResponse.insurance.benefitBalance.name', method: 'redact' },
    { path: 'EligibilityResponse.insurance.benefitBalance.description', method: 'redact' },
    { path: 'EligibilityResponse.insurance.benefitBalance.financial.allowed', method: 'redact' },
    { path: 'EnrollmentResponse.disposition', method: 'redact' },
    { path: 'Claim.information.value', method: 'redact' }, // FIX: reference: `Claim.supportingInfo.value` (an R4 name; in STU3 the element is `Claim.information`, so the rule matched nothing)
    { path: 'Claim.insurance.businessArrangement', method: 'redact' },
    { path: 'Claim.insurance.preAuthRef', method: 'redact' },
    { path: 'ClaimResponse.disposition', method: 'redact' },
    { path: 'ClaimResponse.insurance.preAuthRef', method: 'redact' },
    { path: 'ClaimResponse.processNote.text', method: 'redact' },
    { path: 'ClaimResponse.insurance.businessArrangement', method: 'redact' },
    // FIX: reference: `Invoice.cancelledReason` removed (Invoice is not an STU3 resource; the rule could match nothing)
    { path: 'PaymentReconciliation.disposition', method: 'redact' },
    { path: 'PaymentReconciliation.processNote.text', method: 'redact' },
    { path: 'Account.name', method: 'redact' },
    { path: 'Account.description', method: 'redact' },
    { path: 'ChargeItem.overrideReason', method: 'redact' },
    { path: 'Contract.term.text', method: 'redact' },
    { path: 'Contract.term.group', method: 'redact' },
    { path: 'ExplanationOfBenefit.disposition', method: 'redact' },
    { path: 'ExplanationOfBenefit.information.value', method: 'redact' },
    { path: 'ExplanationOfBenefit.insurance.preAuthRef', method: 'redact' },
    { path: 'ExplanationOfBenefit.processNote.text', method: 'redact' },
    { path: 'ExplanationOfBenefit.benefitBalance.name', method: 'redact' },
    { path: 'ExplanationOfBenefit.benefitBalance.description', method: 'redact' },
    { path: 'ExplanationOfBenefit.benefitBalance.financial.allowed', method: 'redact' },
    { path: "nodesByType('Dosage').text", method: 'redact' },
    { path: "nodesByType('Dosage').patientInstruction", method: 'redact' },
    { path: "nodesByType('Contributor').name", method: 'redact' },
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
