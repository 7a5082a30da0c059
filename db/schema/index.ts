export * from './people'
export * from './auth'
export * from './audit'
