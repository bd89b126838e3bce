"""Views of the reference pages (基础数据): indicator system, sites, responsibility matrix,
working-day calendar. Plain function views: resolve through campaign.access, call one service."""
