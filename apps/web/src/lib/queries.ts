/**
 * Queries the server renders for the first paint and the client then keeps fresh: they live
 * outside 'use client' modules so server components can send them too.
 */
import { graphql } from '../gql/index.ts';

export const VIEWER = graphql(`
  query Viewer {
    setupRequired
    viewer {
      email
      isAdmin
    }
  }
`);

export const PRODUCTIONS = graphql(`
  query Productions {
    productions(first: 200) {
      nodes {
        id
        name
        code
        state
        createdAt
        role
        counts {
          total
          ready
          failed
          processing
          sizeBytes
        }
      }
    }
  }
`);

export const PRODUCTION = graphql(`
  query ProductionOverview($code: String!) {
    production(code: $code) {
      id
      name
      code
      role
      counts {
        total
        ready
        failed
      }
      rolls(first: 500) {
        nodes {
          id
          name
          kind
          cameraUnit
          shootDay
          state
          sourceLocation
          errorMessage
          progress {
            total
            ready
            failed
            partial
            processing
            fraction
          }
        }
      }
    }
  }
`);

/** Clips per page on the roll page: the server renders the first, the browser reads the rest. */
export const CLIP_PAGE = 200;

export const ROLL_PAGE = graphql(`
  query RollPage($id: ID!) {
    node(id: $id) {
      ... on Roll {
        id
        name
        kind
        state
        errorMessage
        aleExports {
          rate
          clips
          url
        }
        csvUrl
        proxiesZipUrl(profile: "review")
        production {
          id
          code
          name
        }
        progress {
          total
          ready
          failed
          processing
          fraction
        }
      }
    }
  }
`);

export const ROLL_CLIP = graphql(`
  fragment RollClip on Clip {
    id
    fileName
    state
    startTimecode
    endTimecode
    camera
    codec
    width
    height
    sizeBytes
    errorCode
    errorMessage
    thumbnail: rendition(name: "thumbnail") {
      downloadUrl
    }
    strip: rendition(name: "strip") {
      downloadUrl
    }
    stripIndex: rendition(name: "strip.json") {
      downloadUrl
    }
    tasks {
      kind
      state
      progress
    }
  }
`);

export const ROLL_CLIPS = graphql(`
  query RollClips($id: ID!, $first: Int!, $after: String, $filter: ClipFilter, $orderBy: ClipOrder) {
    node(id: $id) {
      ... on Roll {
        id
        clips(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
          totalCount
          pageInfo {
            endCursor
            hasNextPage
          }
          nodes {
            ...RollClip
          }
        }
      }
    }
  }
`);
