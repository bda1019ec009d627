/**
 * Identifier and code systems of Czech healthcare that the eRecept bridge maps (ARCHITECTURE.md
 * "Czech context"; HL7 Czech core guide for the SÚKL product code system).
 */
/** Resident identifier of the national health register (10 digits divisible by 13, or D + 9 digits). */
export const RID_SYSTEM = 'https://ncez.mzcr.cz/fhir/sid/rid';
/** Rodné číslo (birth number); CÚER's číslo pojištěnce is usually this number. */
export const RCIS_SYSTEM = 'https://ncez.mzcr.cz/fhir/sid/rcis';
/** Healthcare provider's IČZ (the facility's code with the insurers). */
export const ICZ_SYSTEM = 'https://ncez.mzcr.cz/fhir/sid/icz';
/** SÚKL medicinal product code (DLP léčivé přípravky, 7 digits), as the HL7 Czech core guide names it. */
export const SUKL_PRODUCT_SYSTEM = 'https://hl7.cz/fhir/core/CodeSystem/dlplecivepripravky-cz-cs';
export const ATC_SYSTEM = 'http://www.whocc.no/atc';
