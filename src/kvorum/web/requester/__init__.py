"""The requester's pages: signing in with an API token, projects and pools with their progress and
quality events, and the preview of a task as workers will see it. They only read."""

from kvorum.web.requester import account, pools, preview

ROUTERS = (account.router, pools.router, preview.router)
