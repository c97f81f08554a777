from django.urls import path

from .views import awards, catalogue, feedback, imports, recognition, specifications, stacking

app_name = "microcredentials"

urlpatterns = [
    # the provider's side
    path("microcredentials/", specifications.specification_list, name="specification_list"),
    path("microcredentials/new/", specifications.specification_create, name="specification_create"),
    path("microcredentials/import-example.xlsx", imports.import_example, name="import_example"),
    path("microcredentials/provider/<str:oid>/", specifications.provider_edit, name="provider_edit"),
    path("microcredentials/s/<str:sid>/", specifications.specification_detail, name="specification_detail"),
    path("microcredentials/s/<str:sid>/edit/", specifications.specification_edit, name="specification_edit"),
    path("microcredentials/s/<str:sid>/publish/", specifications.specification_publish,
         name="specification_publish"),
    path("microcredentials/s/<str:sid>/new-version/", specifications.specification_new_version,
         name="specification_new_version"),
    path("microcredentials/s/<str:sid>/withdraw/", specifications.specification_withdraw,
         name="specification_withdraw"),
    path("microcredentials/s/<str:sid>/delete/", specifications.specification_delete, name="specification_delete"),
    path("microcredentials/s/<str:sid>/issue/", awards.award_issue, name="award_issue"),
    path("microcredentials/s/<str:sid>/import/", imports.import_upload, name="import_upload"),
    path("microcredentials/s/<str:sid>/import/<str:iid>/", imports.import_map, name="import_map"),
    path("microcredentials/s/<str:sid>/import/<str:iid>/rows-to-fix.xlsx", imports.import_rejected,
         name="import_rejected"),
    path("microcredentials/s/<str:sid>/batches/<str:jid>/", awards.batch_detail, name="batch_detail"),
    path("microcredentials/a/<str:aid>/", awards.award_detail, name="award_detail"),
    path("microcredentials/a/<str:aid>/renew/", awards.award_renew, name="award_renew"),
    path("microcredentials/a/<str:aid>/evidence/<str:eid>/", awards.evidence_download, name="evidence_download"),
    path("microcredentials/a/<str:aid>/evidence/<str:eid>/delete/", awards.evidence_delete, name="evidence_delete"),
    path("microcredentials/s/<str:sid>/prior-learning/", feedback.award_prior_learning,
         name="award_prior_learning"),
    path("microcredentials/s/<str:sid>/feedback/", feedback.specification_feedback, name="specification_feedback"),
    path("microcredentials/s/<str:sid>/composition/", stacking.composition_edit, name="composition_edit"),
    path("microcredentials/s/<str:sid>/qualifiers/", stacking.stack_qualifiers, name="stack_qualifiers"),
    path("microcredentials/s/<str:sid>/qualifiers/issue/", stacking.stack_issue, name="stack_issue"),
    path("microcredentials/recognition/", recognition.recognition_submit, name="recognition_submit"),
    path("microcredentials/recognition/<str:rid>/", recognition.recognition_detail, name="recognition_detail"),
    path("microcredentials/provider/<str:oid>/recognition/", recognition.recognition_list, name="recognition_list"),
    path("microcredentials/mine/", feedback.learner_awards, name="learner_awards"),
    path("microcredentials/mine/<str:aid>/feedback/", feedback.feedback_give, name="feedback_give"),
    # the public catalogue
    path("catalogue/", catalogue.catalogue_list, name="catalogue"),
    # the address our ELM concepts are named under (credentials.formats.elm_microcredential.VOCABULARY_PATH)
    path("catalogue/elm-vocabulary", catalogue.elm_vocabulary, name="elm_vocabulary"),
    path("catalogue/<str:sid>/", catalogue.catalogue_detail, name="catalogue_detail"),
    path("catalogue/<str:sid>/elm.jsonld", catalogue.catalogue_jsonld, name="catalogue_jsonld"),
    path("catalogue/providers/<str:oid>/", catalogue.provider_detail, name="provider_detail"),
    path("catalogue/providers/<str:oid>/dataset.jsonld", catalogue.provider_dataset, name="provider_dataset"),
]
