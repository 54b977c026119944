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
