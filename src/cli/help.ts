/**
 * Help texts of the CLI.
 * @module
 */

/** `health-anonymizer --help`. */
export const MAIN_HELP: string = `health-anonymizer — offline anonymizer for FHIR (R4, STU3) and DICOM metadata

Usage:
  health-anonymizer fhir -i IN -o OUT [-c CONFIG | --profile NAME] [options]
  health-anonymizer dicom -i FILE -o FILE | -I DIR -O DIR [--profile ps3.15-basic] [--option NAME]... [-c CONFIG] [options]
  health-anonymizer config validate FILE [--fhir-version R4|Stu3] [--key-file FILE]
  health-anonymizer decrypt [--key-file FILE] [VALUE...]   (no VALUE: one value per stdin line)
  health-anonymizer --help | --version
  health-anonymizer fhir --help | dicom --help

Exit codes:
  0   success
  1   at least one input failed (its output is absent; the others are written)
  2   usage or configuration error (nothing written)
  3   I/O error (input missing or unreadable, output not writable)
  70  internal error
`;

/** `health-anonymizer fhir --help`. */
export const FHIR_HELP: string = `health-anonymizer fhir — anonymize FHIR JSON / NDJSON

Usage:
  health-anonymizer fhir -i IN -o OUT [-c CONFIG | --profile NAME] [options]

IN and OUT are files or folders; - means stdin / stdout. Folder inputs pick *.json and
*.ndjson (*.jsonl) files; the format follows the extension (.ndjson/.jsonl: NDJSON).

Options (reference-tool names in parentheses are accepted as aliases):
  -i, --input PATH          input file, folder or - (--inputFolder)
  -o, --output PATH         output file, folder or - (--outputFolder)
  -c, --config FILE         configuration file (--configFile)
      --profile NAME        built-in profile (default: hipaa-safe-harbor)
      --fhir-version V      R4 or Stu3 (default: the configuration's, else R4)
  -b, --bulkData            treat inputs as NDJSON (folders: only *.ndjson/*.jsonl)
  -r, --recursive           include subfolders (relative paths are mirrored)
  -s, --skip                skip inputs whose output already exists
      --validateInput       validate each input resource against the FHIR JSON schema
      --validateOutput      validate each output resource against the FHIR JSON schema
  -v, --verbose             one line per input on stderr
      --reference-date D    "today" for age rules, YYYY-MM-DD (reproducible output)
      --key-file FILE       JSON with cryptoHashKey / encryptKey / dateShiftKey
  -w, --workers N           threads that anonymize, the main thread included
                            (default: number of cores; 1: no worker threads)
      --report FILE         write a JSON run report (- for stdout)
  -h, --help                this text

Keys may also come from HEALTH_ANONYMIZER_CRYPTOHASH_KEY, HEALTH_ANONYMIZER_ENCRYPT_KEY and
HEALTH_ANONYMIZER_DATESHIFT_KEY. Outputs are written to a temporary file and renamed; a failed
input leaves no output. Errors name the file, line and JSON pointer, never a value.

Exit codes: 0 success; 1 at least one input failed; 2 usage or configuration error;
3 I/O error; 70 internal error.
`;
