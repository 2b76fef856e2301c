import { Decimal } from '../decimal';
import type { ProjectRow, ProjectStatus } from '../db/schema';
import type { ProjectDto } from './schemas';

export interface Project {
  id: string;
  name: string;
  status: ProjectStatus;
  currentNavPerToken: Decimal | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const toProject = (row: ProjectRow): Project => ({
  id: row.id,
  name: row.name,
  status: row.status,
  currentNavPerToken: row.current_nav_per_token === null ? null : new Decimal(row.current_nav_per_token),
  createdBy: row.created_by,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toProjectDto = (project: Project): ProjectDto => ({
  id: project.id,
  name: project.name,
  status: project.status,
  current_nav_per_token: project.currentNavPerToken?.toFixed(8) ?? null,
  created_by: project.createdBy,
  created_at: project.createdAt.toISOString(),
  updated_at: project.updatedAt.toISOString(),
});
