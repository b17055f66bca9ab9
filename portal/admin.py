from django.contrib import admin

from portal.forms import PortalAdminAuthenticationForm

admin.site.site_header = "Портал контроля качества образования"
admin.site.site_title = "Администрирование портала"
admin.site.index_title = "Справочники и пользователи"
admin.site.login_form = PortalAdminAuthenticationForm
