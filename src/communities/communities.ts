/**
 * The gateway's view of other communities, built once per process: the directory
 * (COMMUNITIES_FILE, watched for changes), each community's health, and the fan-out whose
 * job handler is registered on the queue here (before the queue starts).
 */
import type { JobQueue } from '../jobs/job-queue';
import type { Logger } from '../logger';
import { CommunityDirectory } from './community-directory';
import { CommunityHealth } from './community-health';
import { CommunityFanOut, type CommunityJobQueue } from './fan-out';
import type { CommunityAuditTrail } from './community-audit';
import type { CommunityTransport } from './ports';
import { RemoteRetrieval } from './remote-retrieve';

export interface Communities {
  directory: CommunityDirectory;
  health: CommunityHealth;
  fanOut: CommunityFanOut;
  /** Remote documents, streamed (not jobs: no job result can carry the bytes). */
  retrieval: RemoteRetrieval;
  close(): void;
}

/** What of the gateway's configuration the cross-community core reads (config.ts fills it). */
export interface CommunitySettings {
  /** COMMUNITIES_FILE; unset = no other communities. */
  communitiesFile?: string;
  homeCommunityId: string;
  communityCircuit: { failureThreshold: number; coolDownMs: number };
  communityCallAttempts: number;
}

export function openCommunities(config: CommunitySettings, jobs: JobQueue, audit: CommunityAuditTrail, logger: Logger, transport?: CommunityTransport): Communities {
  const onAuditError = (err: unknown) => logger.error({ err }, 'audit record of a call to another community not written');
  const directory = config.communitiesFile ? CommunityDirectory.load(config.communitiesFile, logger) : CommunityDirectory.empty();
  directory.watch();
  const health = new CommunityHealth(config.communityCircuit);
  const fanOut = new CommunityFanOut({
    localCommunityId: config.homeCommunityId,
    directory,
    jobs: jobs as unknown as CommunityJobQueue,
    health,
    ...(transport ? { transport } : {}),
    audit,
    onAuditError,
    options: { attempts: config.communityCallAttempts },
  });
  fanOut.registerJobs();
  const retrieval = new RemoteRetrieval({ directory, health, fanOut, audit, onAuditError, ...(transport ? { transport } : {}) });
  return { directory, health, fanOut, retrieval, close: () => directory.close() };
}
