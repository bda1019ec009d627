/**
 * The gateway's view of other communities, built once per process: the directory
 * (COMMUNITIES_FILE, watched for changes), each community's health, and the fan-out whose
 * job handler is registered on the queue here (before the queue starts).
 */
import type { Config } from '../config';
import type { JobQueue } from '../jobs/job-queue';
import type { Logger } from '../logger';
import { CommunityDirectory } from './community-directory';
import { CommunityHealth } from './community-health';
import { CommunityFanOut, type CommunityJobQueue } from './fan-out';
import type { CommunityTransport } from './ports';

export interface Communities {
  directory: CommunityDirectory;
  health: CommunityHealth;
  fanOut: CommunityFanOut;
  /** Calls other communities directly (ITI-39 retrieves stream, so they are no jobs); absent without a transport. */
  transport?: CommunityTransport;
  close(): void;
}

export function openCommunities(config: Config, jobs: JobQueue, logger: Logger, transport?: CommunityTransport): Communities {
  const directory = config.communitiesFile ? CommunityDirectory.load(config.communitiesFile, logger) : CommunityDirectory.empty();
  directory.watch();
  const health = new CommunityHealth(config.communityCircuit);
  const fanOut = new CommunityFanOut({
    localCommunityId: config.homeCommunityId,
    directory,
    jobs: jobs as unknown as CommunityJobQueue,
    health,
    ...(transport ? { transport } : {}),
    options: { attempts: config.communityCallAttempts },
  });
  fanOut.registerJobs();
  return { directory, health, fanOut, ...(transport ? { transport } : {}), close: () => directory.close() };
}
