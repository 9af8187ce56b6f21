/**
 * Entry point of the Restricted Mode suite (extensionTestsPath): the runner opens it in a second workbench
 * with Workspace Trust on and an untrusted folder. Its report goes next to the main suite's.
 */
import { runSuite, testFiles } from '../index';
import { restrictedReportFile } from '../report';

export function run(): Promise<void> {
  const base = process.env.NETREQ_TEST_REPORT;
  return runSuite(testFiles(__dirname), base ? restrictedReportFile(base) : undefined);
}
